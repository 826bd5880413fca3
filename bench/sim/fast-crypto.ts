/**
 * Node's WebCrypto runs every digest and HMAC as an async thread-pool job, which costs far more
 * than the hashing itself and than workerd's native calls: it made up most of a simulated day.
 * While installed, SHA digests and HMAC-SHA signatures are computed synchronously with node:crypto
 * (same bytes out); anything else goes to WebCrypto as before.
 */
import { createHash, createHmac } from "node:crypto";

const NODE_HASH: Record<string, string> = { "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

const algorithmName = (algorithm: unknown) => (typeof algorithm === "string" ? algorithm : (algorithm as { name?: string })?.name ?? "").toUpperCase();

function bytes(data: BufferSource): Buffer {
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

// Shared by every install: the Worker caches its imported keys across simulated runs.
const hmacKeys = new WeakMap<CryptoKey, { raw: Buffer; hash: string }>();

export function installFastCrypto(): () => void {
  const subtle = (globalThis as unknown as { crypto: Crypto }).crypto.subtle;
  const original = { digest: subtle.digest, importKey: subtle.importKey, sign: subtle.sign };

  subtle.digest = function (algorithm: string | { name: string }, data: BufferSource) {
    const hash = NODE_HASH[algorithmName(algorithm)];
    if (!hash) return original.digest.call(subtle, algorithm, data);
    const out = createHash(hash).update(bytes(data)).digest();
    return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
  } as SubtleCrypto["digest"];

  subtle.importKey = async function (this: SubtleCrypto, ...args: Parameters<SubtleCrypto["importKey"]>) {
    const [format, keyData, algorithm] = args;
    const key = await (original.importKey as (...a: unknown[]) => Promise<CryptoKey>).apply(subtle, args);
    const hash = NODE_HASH[algorithmName((algorithm as { hash?: unknown }).hash)];
    if (format === "raw" && algorithmName(algorithm) === "HMAC" && hash) hmacKeys.set(key, { raw: Buffer.from(bytes(keyData as BufferSource)), hash });
    return key;
  } as SubtleCrypto["importKey"];

  subtle.sign = function (algorithm: string | { name: string }, key: CryptoKey, data: BufferSource) {
    const hmac = hmacKeys.get(key);
    if (!hmac || algorithmName(algorithm) !== "HMAC") return original.sign.call(subtle, algorithm, key, data);
    const out = createHmac(hmac.hash, hmac.raw).update(bytes(data)).digest();
    return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
  } as SubtleCrypto["sign"];

  return () => Object.assign(subtle, original);
}
