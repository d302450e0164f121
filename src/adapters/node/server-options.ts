/** Node's own server options, read from `serve()`'s options and Nitro's environment variables. */
import { readFileSync } from "node:fs";

/**
 * `https` of `serve()`: a certificate and its private key.
 *
 * @example
 * serve(app, { port: 443, https: { cert: "/etc/tls/fullchain.pem", key: "/etc/tls/privkey.pem" }, http2: true });
 */
export interface HTTPSOptions {
  /** The certificate chain: PEM text (`-----BEGIN CERTIFICATE-----…`) or the path of a PEM file. */
  cert: string;
  /** The private key: PEM text or the path of a PEM file. */
  key: string;
  /** The key's passphrase, when it is encrypted. */
  passphrase?: string;
}

/**
 * The TLS options to serve with: `https` as given, else `NITRO_SSL_CERT` and
 * `NITRO_SSL_KEY` (both, as Nitro reads them), else none. Half a pair is an error.
 */
export function resolveTLS(option: HTTPSOptions | undefined): HTTPSOptions | undefined {
  if (option !== undefined) {
    if (typeof option !== "object" || option === null || !nonEmpty(option.cert) || !nonEmpty(option.key)) {
      throw new TypeError("[nitrokit] serve(): `https` needs both `cert` and `key` (PEM text or paths to PEM files).");
    }
    return { cert: pem(option.cert, "https.cert"), key: pem(option.key, "https.key"), passphrase: option.passphrase };
  }
  const cert = process.env.NITRO_SSL_CERT || undefined;
  const key = process.env.NITRO_SSL_KEY || undefined;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new TypeError(`[nitrokit] serve(): ${cert === undefined ? "NITRO_SSL_KEY" : "NITRO_SSL_CERT"} is set but ${cert === undefined ? "NITRO_SSL_CERT" : "NITRO_SSL_KEY"} is not: HTTPS needs both.`);
  }
  return { cert: pem(cert, "NITRO_SSL_CERT"), key: pem(key, "NITRO_SSL_KEY") };
}

/** The Unix socket to listen on: the option, else `NITRO_UNIX_SOCKET`, else none. */
export function resolveSocket(option: string | undefined): string | undefined {
  if (option !== undefined && !nonEmpty(option)) throw new TypeError("[nitrokit] serve(): `socket` must be a path.");
  return option ?? (process.env.NITRO_UNIX_SOCKET || undefined);
}

/** PEM text as given, or the contents of the PEM file it names. */
function pem(value: string, name: string): string {
  if (value.trimStart().startsWith("-----BEGIN ")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch (error) {
    throw new TypeError(`[nitrokit] serve(): ${name} is neither PEM text nor a readable file (${(error as Error).message}).`, { cause: error });
  }
}

function nonEmpty(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}
