// virsh's stderr (recorded from libvirt 9.0) -> one KvmtuiError line with the right code.
import { describe, expect, it } from 'vitest';
import { classifyVirshError, virshError, virshErrorLines } from '../../src/driver/libvirt/virsh-errors.js';

const URI = 'qemu:///system';

function fail(stderr: string, fallbackCode?: Parameters<typeof virshError>[0]['fallbackCode']) {
  return virshError({ stderr, exitCode: 1, what: 'virsh test', fallbackCode, uri: URI });
}

describe('virsh error lines', () => {
  it.each([
    ["error: failed to get domain 'nosuch'\n", 'NO_DOMAIN', "failed to get domain 'nosuch'"],
    ['error: Domain is already active\n', 'INVALID_STATE', 'Domain is already active'],
    [
      "error: Failed to resume domain 'lvt1'\nerror: Requested operation is not valid: domain is already running\n",
      'INVALID_STATE',
      "Failed to resume domain 'lvt1': Requested operation is not valid: domain is already running",
    ],
    [
      "error: Failed to destroy domain 'lvt1'\nerror: Requested operation is not valid: domain is not running\n",
      'INVALID_STATE',
      "Failed to destroy domain 'lvt1': Requested operation is not valid: domain is not running",
    ],
    [
      "error: Failed to define domain from /tmp/x/dup.xml\nerror: operation failed: domain 'lvt1' already exists with uuid ca58e2f1-c172-44ad-9de0-f6ab91e8fccb\n",
      'DOMAIN_EXISTS',
      "Failed to define domain from /tmp/x/dup.xml: operation failed: domain 'lvt1' already exists with uuid ca58e2f1-c172-44ad-9de0-f6ab91e8fccb",
    ],
    [
      'error: Failed to define domain from /tmp/x/bad.xml\nerror: XML error: an os <type> must be specified\n',
      'INVALID_CONFIG',
      'Failed to define domain from /tmp/x/bad.xml: XML error: an os <type> must be specified',
    ],
    [
      "error: Failed to define domain from /tmp/x/bad2.xml\nerror: (domain_definition):2: Couldn't find end of Start Tag domain line 1\n(null)\n^\n",
      'INVALID_XML',
      "Failed to define domain from /tmp/x/bad2.xml: (domain_definition):2: Couldn't find end of Start Tag domain line 1",
    ],
    [
      "error: Failed to attach disk\nerror: Cannot access storage file '/nonexist.img': No such file or directory\n",
      'FILE_MISSING',
      "Failed to attach disk: Cannot access storage file '/nonexist.img': No such file or directory",
    ],
    [
      "error: Failed to resize block device 'vdz'\nerror: invalid argument: disk 'vdz' was not found in the domain config\n",
      'INVALID_CONFIG',
      "Failed to resize block device 'vdz': invalid argument: disk 'vdz' was not found in the domain config",
    ],
    [
      'error: Unable to get number of memory stats\nerror: this function is not supported by the connection driver: virNodeGetMemoryStats\n',
      'NOT_SUPPORTED_BY_DRIVER',
      'Unable to get number of memory stats: this function is not supported by the connection driver: virNodeGetMemoryStats',
    ],
  ])('%#: %s', (stderr, code, message) => {
    const e = fail(stderr);
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
    expect(e.message).not.toContain('\n');
  });

  it('names the connection when it cannot be reached', () => {
    const e = fail("error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/tmp/nonexist/sock': No such file or directory\n");
    expect(e.code).toBe('EXEC_FAILED');
    expect(e.message).toBe(`cannot reach ${URI}: failed to connect to the hypervisor: Failed to connect socket to '/tmp/nonexist/sock': No such file or directory`);
  });

  it('uses the caller\'s code when the text says nothing specific, and virsh\'s exit when there is no error line', () => {
    expect(fail('error: Failed to detach disk\nerror: internal error: unable to execute QEMU command\n', 'HOTPLUG_FAILED').code).toBe('HOTPLUG_FAILED');
    const bare = fail('something odd happened\n');
    expect(bare.code).toBe('EXEC_FAILED');
    expect(bare.message).toBe('virsh test failed (exit 1): something odd happened');
  });

  it('keeps only error lines, once each', () => {
    expect(virshErrorLines('warning: x\nerror: a\nerror: a\n  error: b\nplain\n')).toEqual(['a', 'b']);
    expect(classifyVirshError('a perfectly fine sentence')).toBeUndefined();
  });
});
