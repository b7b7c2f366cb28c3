import { Worker } from 'node:worker_threads';

/**
 * Decryption of many stored values on worker threads (a bank file decrypts two values per payment;
 * AES-GCM costs ≈ 7 µs a value in Node, most of it creating the decipher): the main thread builds the
 * file while the workers decrypt the next page. The workers run in this process and hold the cipher's
 * data keys (the same ones its FieldCipher holds); the format is FieldCipher's `v1:<kid>:<iv>:<tag>:<ct>`
 * with the field name as AAD. A value a worker cannot read (or that is not one line) is answered as `undefined`: the caller
 * decrypts it with its FieldCipher, which throws the precise PiiCryptoError (FieldCipher.decryptMany).
 * Obtained from FieldCipher.decryptPool(); `close()` ends the workers.
 */
export interface FieldDecryptPool {
  /** Plain values of `values[i]` under field `fields[i]` (null stays null; undefined: could not be read here). */
  decrypt(values: readonly (string | null)[], fields: readonly string[]): Promise<(string | null | undefined)[]>;
  close(): Promise<void>;
}

/** The worker: plain JavaScript (eval), so that it runs the same from dist and under the test runner. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createDecipheriv, createSecretKey } = require('node:crypto');
const keys = new Map(workerData.keys.map(([kid, key]) => [kid, createSecretKey(Buffer.from(key))]));
const aads = new Map();
function decrypt(stored, field) {
  const parts = stored.split(':');
  if (parts.length !== 5 || parts[0] !== 'v1') return 0;
  const key = keys.get(parts[1]);
  if (!key) return 0;
  const iv = Buffer.from(parts[2], 'base64url');
  const tag = Buffer.from(parts[3], 'base64url');
  if (iv.length !== 12 || tag.length !== 16) return 0;
  let aad = aads.get(field);
  if (!aad) aads.set(field, (aad = Buffer.from(field, 'utf8')));
  try {
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAAD(aad);
    d.setAuthTag(tag);
    const out = d.update(Buffer.from(parts[4], 'base64url'));
    d.final();
    return out.toString('utf8');
  } catch {
    return 0;
  }
}
parentPort.on('message', ({ id, values, names, fields }) => {
  const v = values.split('\\n');
  // A value holding a newline (no ciphertext does) splits into more: none is read here.
  if (v.length !== fields.length) return parentPort.postMessage({ id, out: null });
  const out = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] === '' ? null : decrypt(v[i], names[fields[i]]);
  parentPort.postMessage({ id, out: JSON.stringify(out) });
});
`;

/** A worker's answer: the plain values, 0 for one it could not read (JSON has no undefined); null: none was read. */
type Answer = (string | null | 0)[] | null;

interface Job {
  resolve(out: Answer): void;
  reject(err: Error): void;
}

class WorkerSlot {
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(private readonly worker: Worker) {
    worker.unref(); // never keeps the process alive
    worker.on('message', (m: { id: number; out: string | null }) => {
      const job = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      job?.resolve(m.out === null ? null : (JSON.parse(m.out) as (string | null | 0)[]));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const job of this.jobs.values()) job.reject(err);
      this.jobs.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`field decrypt worker exited (${code})`)));
  }

  run(values: readonly (string | null)[], names: string[], fields: Uint8Array): Promise<Answer> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    let joined = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      // '' stands for null: an empty stored value (not a ciphertext) is left to the caller.
      if (v === '') return Promise.resolve(null);
      joined += i === 0 ? (v ?? '') : '\n' + (v ?? '');
    }
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      // One string each way (the values joined by newlines, the answer as JSON) and the field of each
      // value as an index into `names`: cloning one string is cheaper than cloning thousands.
      this.worker.postMessage({ id, values: joined, names, fields });
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** A pool of `threads` workers holding `dataKeys` (FieldCipher.decryptPool builds it from its own keys). */
export function createFieldDecryptPool(dataKeys: ReadonlyMap<string, Buffer>, threads: number): FieldDecryptPool {
  const keys = [...dataKeys].map(([kid, key]) => [kid, new Uint8Array(key)] as const);
  const slots = Array.from(
    { length: Math.max(1, threads) },
    () => new WorkerSlot(new Worker(WORKER_SOURCE, { eval: true, workerData: { keys } })),
  );
  return {
    async decrypt(values, fields) {
      if (values.length !== fields.length) throw new Error('decrypt: one field name per value');
      const names: string[] = [];
      const index = new Map<string, number>();
      const codes = new Uint8Array(values.length);
      for (let i = 0; i < fields.length; i++) {
        let c = index.get(fields[i]!);
        if (c === undefined) {
          if (names.length === 255) return values.map((v) => (v === null ? null : undefined)); // a field name a value: left to the caller
          index.set(fields[i]!, (c = names.push(fields[i]!) - 1));
        }
        codes[i] = c;
      }
      const size = Math.ceil(values.length / slots.length);
      const parts = await Promise.all(
        slots.map(async (s, i) => {
          const from = i * size;
          if (from >= values.length) return [];
          const part = values.slice(from, from + size);
          const out = await s.run(part, names, codes.slice(from, from + size));
          // Not read by the worker: undefined, for the caller's FieldCipher (which throws the precise error).
          return out === null ? part.map((v) => (v === null ? null : undefined)) : out.map((x) => (x === 0 ? undefined : x));
        }),
      );
      return parts.length === 1 ? parts[0]! : parts.flat();
    },
    async close() {
      await Promise.all(slots.map((s) => s.close()));
    },
  };
}
