import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectQmp, withQmp } from '../../src/driver/qemu/qmp-client.js';
import type { QmpClient, QmpEvent } from '../../src/driver/qemu/qmp-types.js';
import { KvmtuiError, QmpError, isKvmtuiError } from '../../src/driver/errors.js';
import { FakeQmpServer, type FakeQmpOptions } from '../helpers/fake-qmp-server.js';

const servers: FakeQmpServer[] = [];
const clients: QmpClient[] = [];

async function fake(opts?: FakeQmpOptions): Promise<FakeQmpServer> {
  const s = await FakeQmpServer.start(opts);
  servers.push(s);
  return s;
}

async function connect(server: FakeQmpServer, opts?: Parameters<typeof connectQmp>[1]): Promise<QmpClient> {
  const c = await connectQmp(server.path, opts);
  clients.push(c);
  return c;
}

/** The rejection of a promise, failing the test if it resolves. */
async function rejectionOf(p: Promise<unknown>): Promise<KvmtuiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KvmtuiError);
    return e as KvmtuiError;
  }
  throw new Error('expected a rejection');
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('connectQmp', () => {
  it('reads the greeting, negotiates capabilities, then runs commands', async () => {
    const server = await fake();
    const client = await connect(server);
    expect(server.received[0]).toMatchObject({ execute: 'qmp_capabilities' });
    expect(server.received[0].arguments).toBeUndefined();
    expect((client as { greeting?: { version?: { package?: string } } }).greeting?.version?.package).toBe('fake');
    expect(await client.execute('query-status')).toEqual({ status: 'running', running: true, singlestep: false });
    expect(client.closed).toBe(false);
  });

  it('sends arguments and a distinct id with every request', async () => {
    const server = await fake();
    server.handle('echo', (args) => ({ return: args }));
    const client = await connect(server);
    const r = await client.execute('echo', { a: 1, b: ['x'] });
    await client.execute('echo', { a: 2 });
    expect(r).toEqual({ a: 1, b: ['x'] });
    const ids = server.received.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(server.received[1]).toMatchObject({ execute: 'echo', arguments: { a: 1, b: ['x'] } });
  });

  it('fails with QMP_CLOSED when nothing listens on the path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-'));
    try {
      const err = await rejectionOf(connectQmp(join(dir, 'none.sock')));
      expect(err.code).toBe('QMP_CLOSED');
      expect(err.message).toContain('no such socket');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a peer that does not start with a greeting as QMP_PROTOCOL', async () => {
    const server = await fake({ greeting: { hello: 'not qmp' } });
    const err = await rejectionOf(connectQmp(server.path));
    expect(err.code).toBe('QMP_PROTOCOL');
  });

  it('reports a busy monitor (no greeting) as QMP_TIMEOUT with a clear message', async () => {
    const server = await fake();
    await connect(server); // holds the monitor, as a running TUI would
    const err = await rejectionOf(connectQmp(server.path, { greetingTimeoutMs: 150 }));
    expect(err.code).toBe('QMP_TIMEOUT');
    expect(err.message).toMatch(/monitor busy: no QMP greeting within 150 ms/);
  });

  it('gets the greeting as soon as the monitor is free again', async () => {
    const server = await fake();
    const first = await connect(server);
    const second = connectQmp(server.path, { greetingTimeoutMs: 2000 });
    await server.waitForConnections(2);
    await first.close();
    const client = await second;
    clients.push(client);
    expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
  });

  it('fails if the capabilities negotiation is refused', async () => {
    const server = await fake();
    server.handle('qmp_capabilities', () => ({ error: { class: 'GenericError', desc: 'nope' } }));
    const err = await rejectionOf(connectQmp(server.path));
    expect(err).toBeInstanceOf(QmpError);
    expect(err.message).toBe('qmp_capabilities: nope');
  });
});

describe('QmpClient requests', () => {
  it('matches replies to requests by id when they come back out of order', async () => {
    const server = await fake();
    server.handle('slow', () => ({ return: 'slow-result', delayMs: 80 }));
    server.handle('fast', () => ({ return: 'fast-result' }));
    const client = await connect(server);
    const order: string[] = [];
    const slow = client.execute('slow').then((r) => (order.push('slow'), r));
    const fast = client.execute('fast').then((r) => (order.push('fast'), r));
    expect(await Promise.all([slow, fast])).toEqual(['slow-result', 'fast-result']);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('turns a QMP error reply into a QmpError with its class', async () => {
    const server = await fake();
    server.handle('device_del', () => ({ error: { class: 'DeviceNotFound', desc: "Device 'x' not found" } }));
    const client = await connect(server);
    const err = await rejectionOf(client.execute('device_del', { id: 'x' }));
    expect(err).toBeInstanceOf(QmpError);
    expect(err.code).toBe('QMP_ERROR');
    expect((err as QmpError).qmpClass).toBe('DeviceNotFound');
    expect(err.message).toBe("device_del: Device 'x' not found");
    // the connection is still usable afterwards
    expect(await client.execute('query-status')).toMatchObject({ running: true });
  });

  it('reports an unknown command as CommandNotFound', async () => {
    const server = await fake();
    const client = await connect(server);
    const err = (await rejectionOf(client.execute('no-such-thing'))) as QmpError;
    expect(err.qmpClass).toBe('CommandNotFound');
  });

  it('times out a request that gets no reply, and drops a reply that comes too late', async () => {
    const server = await fake();
    server.handle('late', () => ({ return: 'too late', delayMs: 150 }));
    server.handle('hang', () => ({ never: true }));
    const client = await connect(server);
    const hang = await rejectionOf(client.execute('hang', undefined, { timeoutMs: 50 }));
    expect(hang.code).toBe('QMP_TIMEOUT');
    expect(hang.message).toBe('hang: no reply from QEMU within 50 ms');
    const late = await rejectionOf(client.execute('late', undefined, { timeoutMs: 50 }));
    expect(late.code).toBe('QMP_TIMEOUT');
    await new Promise((r) => setTimeout(r, 150));
    // the late reply arrived meanwhile and must not have been taken as this one's answer
    expect(await client.execute('query-status')).toMatchObject({ status: 'running' });
    expect(client.closed).toBe(false);
  });

  it('uses the connection-wide default timeout when execute() gives none', async () => {
    const server = await fake();
    server.handle('hang', () => ({ never: true }));
    const client = await connect(server, { requestTimeoutMs: 60 });
    const t0 = Date.now();
    const err = await rejectionOf(client.execute('hang'));
    expect(err.code).toBe('QMP_TIMEOUT');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('copes with replies that arrive in tiny chunks', async () => {
    const server = await fake({ chunkBytes: 3 });
    server.handle('info', () => ({ return: { name: 'vm1', nested: { list: [1, 2, 3] } } }));
    const client = await connect(server);
    expect(await client.execute('info')).toEqual({ name: 'vm1', nested: { list: [1, 2, 3] } });
  });

  it('copes with several replies and events in one chunk', async () => {
    const server = await fake();
    const client = await connect(server);
    const events: string[] = [];
    client.onEvent((e) => events.push(e.event));
    server.handle('batch', (_args, req) => ({
      raw:
        `{"event": "STOP", "timestamp": {"seconds": 1, "microseconds": 0}}\r\n` +
        `{"return": "b", "id": ${JSON.stringify(req.id)}}\r\n` +
        `{"event": "RESUME", "timestamp": {"seconds": 2, "microseconds": 0}}\r\n`,
    }));
    expect(await client.execute('batch')).toBe('b');
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['STOP', 'RESUME']);
  });
});

describe('QmpClient events', () => {
  it('delivers events with data and a millisecond timestamp, separately from replies', async () => {
    const server = await fake();
    const client = await connect(server);
    const got: QmpEvent[] = [];
    client.onEvent((e) => got.push(e));
    server.emitEvent('SHUTDOWN', { guest: true, reason: 'guest-shutdown' }, { seconds: 1700000000, microseconds: 250000 });
    server.emitEvent('STOP');
    await new Promise((r) => setTimeout(r, 30));
    expect(got).toEqual([
      { event: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' }, time: 1700000000250 },
      { event: 'STOP', time: 1700000000250 },
    ]);
  });

  it('stops delivering to a listener once it unsubscribes, and survives a throwing listener', async () => {
    const server = await fake();
    const client = await connect(server);
    const got: string[] = [];
    client.onEvent(() => {
      throw new Error('listener bug');
    });
    const off = client.onEvent((e) => got.push(e.event));
    server.emitEvent('STOP');
    await new Promise((r) => setTimeout(r, 20));
    off();
    server.emitEvent('RESUME');
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual(['STOP']);
    expect(await client.execute('query-status')).toMatchObject({ running: true });
  });
});

describe('QmpClient closing', () => {
  it('rejects every pending request with QMP_CLOSED when QEMU closes the socket', async () => {
    const server = await fake();
    server.handle('hang', () => ({ never: true }));
    const client = await connect(server);
    const closeErrors: (Error | undefined)[] = [];
    client.onClose((e) => closeErrors.push(e));
    const pending = [client.execute('hang'), client.execute('hang'), client.execute('hang')];
    await new Promise((r) => setTimeout(r, 20));
    server.closeClients();
    const errs = await Promise.all(pending.map(rejectionOf));
    expect(errs.map((e) => e.code)).toEqual(['QMP_CLOSED', 'QMP_CLOSED', 'QMP_CLOSED']);
    expect(client.closed).toBe(true);
    expect(closeErrors).toHaveLength(1);
    expect(isKvmtuiError(closeErrors[0], 'QMP_CLOSED')).toBe(true);
    // and anything sent afterwards fails at once
    expect((await rejectionOf(client.execute('query-status'))).code).toBe('QMP_CLOSED');
  });

  it('handles a server that closes instead of answering (like quit)', async () => {
    const server = await fake();
    server.handle('quit', () => ({ closeConnection: true }));
    const client = await connect(server);
    const err = await rejectionOf(client.execute('quit'));
    expect(err.code).toBe('QMP_CLOSED');
  });

  it('close() rejects pending requests, reports no error to onClose, and can be called twice', async () => {
    const server = await fake();
    server.handle('hang', () => ({ never: true }));
    const client = await connect(server);
    const closeErrors: (Error | undefined)[] = [];
    client.onClose((e) => closeErrors.push(e));
    const p = client.execute('hang');
    await client.close();
    await client.close();
    expect((await rejectionOf(p)).code).toBe('QMP_CLOSED');
    expect(closeErrors).toEqual([undefined]);
    expect(client.closed).toBe(true);
  });

  it('tears the connection down with QMP_PROTOCOL on garbage', async () => {
    const server = await fake();
    server.handle('hang', () => ({ never: true }));
    const client = await connect(server);
    const closeErrors: (Error | undefined)[] = [];
    client.onClose((e) => closeErrors.push(e));
    const p = client.execute('hang');
    await new Promise((r) => setTimeout(r, 20));
    server.sendRaw('<html>oops</html>\r\n');
    const err = await rejectionOf(p);
    expect(err.code).toBe('QMP_PROTOCOL');
    expect(client.closed).toBe(true);
    expect(isKvmtuiError(closeErrors[0], 'QMP_PROTOCOL')).toBe(true);
  });
});

describe('withQmp', () => {
  it('runs the function with a connected client and closes it afterwards', async () => {
    const server = await fake();
    let seen: QmpClient | undefined;
    const status = await withQmp(server.path, async (c) => {
      seen = c;
      return c.execute<{ status: string }>('query-status');
    });
    expect(status.status).toBe('running');
    expect(seen?.closed).toBe(true);
  });

  it('closes the client even when the function throws, freeing the monitor', async () => {
    const server = await fake();
    let seen: QmpClient | undefined;
    await expect(
      withQmp(server.path, (c) => {
        seen = c;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen?.closed).toBe(true);
    // the monitor is free: a new client gets its greeting straight away
    const again = await connect(server, { greetingTimeoutMs: 500 });
    expect(again.closed).toBe(false);
  });
});
