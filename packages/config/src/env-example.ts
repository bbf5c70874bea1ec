import { type ConfigGroup, ENV_VARS, type EnvVarInfo, type EnvVarName, PROFILES } from './schema.js';

const GROUP_TITLES: Record<ConfigGroup, string> = {
  app: 'App',
  database: 'Database (Supabase)',
  cache: 'Cache (Redis or memory)',
  jobs: 'Jobs (Inngest)',
  monitoring: 'Monitoring (logs, Sentry)',
  ratelimit: 'Rate limiting',
};
const GROUP_ORDER: ConfigGroup[] = ['app', 'database', 'cache', 'jobs', 'monitoring', 'ratelimit'];

function wrap(text: string, width = 100): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else {
      line = line ? `${line} ${w}` : w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function describeDefault(info: EnvVarInfo): string | undefined {
  if (info.defaultNote) return info.defaultNote;
  const entries = PROFILES.map((p) => [p, info.defaults[p]] as const).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return undefined;
  const values = new Set(entries.map(([, v]) => v));
  if (values.size === 1) {
    const v = entries[0]?.[1];
    if (entries.length === PROFILES.length) return `Default: ${v}`;
    return `Default in ${entries.map(([p]) => p).join('/')}: ${v}`;
  }
  return `Default: ${entries.map(([p, v]) => `${v} (${p})`).join(', ')}`;
}

/**
 * The text of `.env.example`, generated from the schema. Every variable is listed unset: development and
 * test run with no .env at all; production needs the ones marked required.
 */
export function renderEnvExample(): string {
  const out: string[] = [
    '# Generated from the @mentora/config schema: do not edit by hand.',
    '# Regenerate with: pnpm --filter @mentora/config gen:env-example',
    '#',
    '# `pnpm dev` and the tests need no .env: the development and test profiles have defaults',
    '# (embedded stack, memory cache). Production has no defaults for required variables.',
    '# Empty values count as unset. Secrets are masked in every log, error and JSON output.',
    '# Never put a server secret under a NEXT_PUBLIC_ name: Next.js ships those to browsers.',
  ];
  for (const group of GROUP_ORDER) {
    out.push(
      '',
      `# ${'-'.repeat(3)} ${GROUP_TITLES[group]} ${'-'.repeat(Math.max(3, 92 - GROUP_TITLES[group].length))}`,
    );
    for (const name of Object.keys(ENV_VARS) as EnvVarName[]) {
      const info: EnvVarInfo = ENV_VARS[name];
      if (info.group !== group) continue;
      out.push('');
      for (const l of wrap(info.description)) out.push(`# ${l}`);
      const tags: string[] = [];
      if (info.requiredIn.length > 0) tags.push(`Required in ${info.requiredIn.join(', ')}.`);
      if (info.secret) tags.push('Secret: server-side only, masked in logs.');
      if (info.public) tags.push('Public: shipped to the browser.');
      const def = describeDefault(info);
      if (def) tags.push(def);
      if (info.example) tags.push(`Example: ${info.example}`);
      for (const t of tags) for (const l of wrap(t)) out.push(`# ${l}`);
      out.push(`${name}=`);
    }
  }
  return `${out.join('\n')}\n`;
}
