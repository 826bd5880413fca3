const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

function base64url(bytes: ArrayBuffer, length: number): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "").slice(0, length);
}

/**
 * A keyed, one-way id for a private value (client IP, voter token). The `purpose` keeps ids of
 * different kinds from ever colliding or being correlated. 22 chars of base64url = 132 bits.
 */
export async function privateId(secret: string, purpose: string, value: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(`${purpose}\u0000${value}`));
  return base64url(mac, 22);
}

/** A short, stable, key-safe id for a public value (article ids can be 200 multi-byte chars). */
export async function publicId(value: string): Promise<string> {
  return base64url(await crypto.subtle.digest("SHA-256", encoder.encode(value)), 22);
}
