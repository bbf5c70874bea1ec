/**
 * Compiles a Redis glob (`*`, `?`, `[abc]`, `[^a-z]`, `\x`) into an anchored RegExp with Redis's
 * semantics, for the memory store and for dropping L1 entries that `deletePattern` removes.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += escapeRegExp(glob[++i] as string);
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, end);
      let negate = false;
      if (body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      // Keep ranges (a-z), escape everything else that is special inside a class.
      const cls = body.replace(/[\\\]^[]/g, (m) => `\\${m}`);
      re += `[${negate ? '^' : ''}${cls}]`;
      i = end;
    } else re += escapeRegExp(c);
  }
  return new RegExp(`${re}$`, 's');
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
