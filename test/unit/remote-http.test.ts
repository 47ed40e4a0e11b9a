import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpRemote } from '../../src/core/remote/http-remote';
import { filePath, INDEX_PATH } from '../../src/core/remote/layout';
import { RemoteError } from '../../src/core/remote/remote';
import { startNginx } from '../harness/nginx.mjs';
import { rejection } from './rejection';

const SECRET = 'Bearer pawprint-unit-s3cret';

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}

const failure = (promise: Promise<unknown>) => rejection(promise, RemoteError);

describe('HttpRemote against nginx on loopback', () => {
  let server: Awaited<ReturnType<typeof startNginx>>;
  let remote: HttpRemote;

  beforeAll(async () => {
    server = await startNginx({ authorization: SECRET });
    remote = new HttpRemote(`${server.url}/`, { authorization: SECRET });
  });
  afterAll(() => server?.close());

  it('writes a file in DVC layout on disk, then reads and finds it', async () => {
    const bytes = new TextEncoder().encode('a cat picture, honestly');
    const path = filePath(md5(bytes));
    expect(await remote.has(path)).toBe(false);
    await remote.write(path, bytes);
    const onDisk = readFileSync(join(server.root, path));
    expect(md5(onDisk)).toBe(md5(bytes));
    expect(path).toBe(`files/md5/${md5(bytes).slice(0, 2)}/${md5(bytes).slice(2)}`);
    expect(await remote.has(path)).toBe(true);
    expect(await remote.read(path)).toEqual(bytes);
  });

  it('replaces a file written again (the index moves on each push)', async () => {
    await remote.write(INDEX_PATH, new TextEncoder().encode('{"v":1}'));
    await remote.write(INDEX_PATH, new TextEncoder().encode('{"v":2}'));
    expect(new TextDecoder().decode((await remote.read(INDEX_PATH))!)).toBe('{"v":2}');
  });

  it('reads a missing file as null', async () => {
    expect(await remote.read(filePath('0'.repeat(32)))).toBeNull();
  });

  it('keeps many requests in flight at once', async () => {
    const files = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`file ${i} `.repeat(i * 500 + 1)));
    await Promise.all(files.map((bytes) => remote.write(filePath(md5(bytes)), bytes)));
    const back = await Promise.all(files.map((bytes) => remote.read(filePath(md5(bytes)))));
    expect(back.map((b) => md5(b!))).toEqual(files.map(md5));
  });

  it('reports no or a wrong Authorization header as unauthorised, without the secret', async () => {
    const wrong = 'Bearer not-the-right-one';
    for (const other of [new HttpRemote(server.url), new HttpRemote(server.url, { authorization: wrong })]) {
      const err = await failure(other.write(INDEX_PATH, new Uint8Array([1])));
      expect(err.failure).toBe('unauthorised');
      expect(err.path).toBe(INDEX_PATH);
      expect(err.message).toMatch(/^Unauthorised: .* answered 401/);
      expect(err.message).not.toContain('s3cret');
      expect(err.message).not.toContain('not-the-right-one');
      expect((await failure(other.read(INDEX_PATH))).failure).toBe('unauthorised');
      expect((await failure(other.has(INDEX_PATH))).failure).toBe('unauthorised');
    }
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(remote.read(INDEX_PATH, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('HttpRemote failures', () => {
  it('reports a port nobody listens on as unreachable, naming the URL', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const err = await failure(new HttpRemote(`http://127.0.0.1:${port}`, { authorization: SECRET }).has('x'));
    expect(err.failure).toBe('unreachable');
    expect(err.message).toContain(`Could not reach http://127.0.0.1:${port}/x`);
    expect(err.message).toMatch(/ECONNREFUSED.*Is the server running/);
    expect(err.message).not.toContain('s3cret');
  });

  it('maps 403 to forbidden and other statuses to refused with the status', async () => {
    const answering = (status: number) =>
      new HttpRemote('https://remote.example/dvc', { fetch: async () => new Response(null, { status }) });
    const forbidden = await failure(answering(403).write('files/md5/ab/cd', new Uint8Array([1])));
    expect(forbidden.failure).toBe('forbidden');
    const refused = await failure(answering(507).write('files/md5/ab/cd', new Uint8Array([1])));
    expect(refused.failure).toBe('refused');
    expect(refused.message).toContain('507');
    expect(refused.path).toBe('files/md5/ab/cd');
  });

  it('refuses plain http to another host, and credentials in the URL, without echoing them', () => {
    expect(() => new HttpRemote('http://remote.example/dvc')).toThrow(/https:\/\//);
    const withPassword = (() => {
      try {
        new HttpRemote('https://me:hunter2@remote.example/dvc');
      } catch (err) {
        return err;
      }
    })();
    expect(withPassword).toBeInstanceOf(RemoteError);
    expect((withPassword as RemoteError).failure).toBe('invalid');
    expect((withPassword as RemoteError).message).toContain('Authorization header field');
    expect((withPassword as RemoteError).message).not.toContain('hunter2');
    expect(() => new HttpRemote('ftp://remote.example/')).toThrow(RemoteError);
    expect(new HttpRemote('https://remote.example/dvc/').name).toBe('https://remote.example/dvc');
  });
});
