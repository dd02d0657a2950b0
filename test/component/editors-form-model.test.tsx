// The keyboard-form model the editors share: focus moves over visible fields only, choices cycle,
// text edits, Enter refuses while something is invalid and submits only visible values.
import { describe, expect, it } from 'vitest';
import { formErrors, formKey, initForm, shownError, type FieldSpec, type FormState } from '../../src/ui/components/forms/form-model.js';
import { wrapText } from '../../src/ui/components/forms/wrap.js';

const fields: FieldSpec[] = [
  { id: 'kind', label: 'Kind', kind: 'choice', options: ['a', 'b'] },
  { id: 'size', label: 'Size', kind: 'text', visible: (v) => v.kind === 'a', validate: (v) => (/^\d+$/.test(v) ? undefined : 'digits only') },
  { id: 'ro', label: 'RO', kind: 'toggle' },
];

function edit(s: FormState, name: string, input = '', shift = false): FormState {
  const out = formKey(s, name, input, shift);
  if (out.kind !== 'edit') throw new Error(`expected an edit, got ${out.kind}`);
  return out.state;
}

describe('form model', () => {
  it('moves focus over visible fields, both ways, wrapping', () => {
    let s = initForm('t', fields);
    expect(s.focus).toBe(0);
    s = edit(s, 'tab');
    expect(s.focus).toBe(1);
    s = edit(s, 'tab', '', true);
    expect(s.focus).toBe(0);
    s = edit(s, 'right'); // kind b hides size
    expect(s.values.kind).toBe('b');
    s = edit(s, 'down');
    expect(s.focus).toBe(2);
    s = edit(s, 'up');
    expect(s.focus).toBe(0);
    s = edit(s, 'up');
    expect(s.focus).toBe(2);
  });

  it('shows a problem once the field was edited, and Enter jumps to it', () => {
    let s = initForm('t', fields);
    expect(formErrors(s)).toEqual({ size: 'digits only' });
    expect(shownError(s, 'size')).toBeUndefined();
    s = edit(s, 'down');
    s = edit(s, 'x', 'x');
    expect(shownError(s, 'size')).toBe('digits only');
    s = edit(s, 'backspace');
    s = edit(s, 'down');
    s = edit(s, 'enter');
    expect(s.focus).toBe(1);
    expect(s.submitted).toBe(true);
    s = edit(s, '4', '4');
    s = edit(s, '2', '2');
    s = edit(s, 'ctrl+u', 'u');
    expect(s.values.size).toBe('');
    s = edit(s, '7', '7');
    s = edit(s, 'tab');
    s = edit(s, 'space', ' ');
    expect(formKey(s, 'enter', '')).toEqual({ kind: 'submit', values: { kind: 'a', size: '7', ro: 'yes' } });
  });

  it('leaves hidden fields out of the submitted values and out of validation', () => {
    let s = initForm('t', fields);
    s = edit(s, 'space', ' ');
    expect(formKey(s, 'enter', '')).toEqual({ kind: 'submit', values: { kind: 'b', ro: 'no' } });
    expect(formKey(s, 'escape', '')).toEqual({ kind: 'cancel' });
  });

  it('wraps words to the width', () => {
    expect(wrapText('shrink the guest filesystem first', 12)).toEqual(['shrink the', 'guest', 'filesystem', 'first']);
    expect(wrapText('/a/very/long/path/name', 10)).toEqual(['/a/very/lo', 'ng/path/na', 'me']);
  });
});
