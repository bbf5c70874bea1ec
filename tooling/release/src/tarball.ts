import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  /** Path inside the package, without npm's leading `package/`. */
  path: string;
  size: number;
  content: Buffer;
}

function readString(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function readOctal(block: Buffer, start: number, length: number): number {
  const text = readString(block, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

/** `path` from a pax extended header ("<len> path=<value>\n" records). */
function paxPath(content: Buffer): string | undefined {
  for (const record of content.toString('utf8').split('\n')) {
    const match = /^\d+ path=(.*)$/.exec(record);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The regular files of an npm tarball (gzip'd ustar, with pax or GNU long names), read in memory:
 * packages are small, and this avoids depending on the `tar` binary or a tar library.
 */
export function readTarball(tgz: Buffer): TarEntry[] {
  const tar = gunzipSync(tgz);
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] ?? 0);
    const content = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = paxPath(content) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = readString(content, 0, content.length);
      continue;
    }
    if (type === 'g') continue;
    const prefix = readString(header, 345, 155);
    const name =
      longName ?? (prefix ? `${prefix}/${readString(header, 0, 100)}` : readString(header, 0, 100));
    longName = undefined;
    if (type !== '0' && type !== '\0') continue;
    entries.push({ path: name.replace(/^[^/]+\//, ''), size, content: Buffer.from(content) });
  }
  return entries;
}
