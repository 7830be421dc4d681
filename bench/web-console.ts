import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

type ManifestChunk = { file: string; src?: string; isEntry?: boolean; isDynamicEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] };
type Manifest = Record<string, ManifestChunk>;

const budgetGzipKiB = 500;
const configFile = fileURLToPath(new URL('../web/vite.config.ts', import.meta.url));

/** Every file a chunk needs before it runs: itself, its static imports (recursively) and their CSS. */
function closure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || seen.has(chunk.file)) return seen;
  seen.add(chunk.file);
  for (const css of chunk.css ?? []) seen.add(css);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, seen);
  return seen;
}

function gzipKiB(dir: string, files: Iterable<string>): { files: number; rawKiB: number; gzipKiB: number } {
  let raw = 0;
  let gz = 0;
  let n = 0;
  for (const file of files) {
    const bytes = readFileSync(join(dir, file));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
    n += 1;
  }
  return { files: n, rawKiB: Math.round(raw / 102.4) / 10, gzipKiB: Math.round(gz / 102.4) / 10 };
}

async function build(outDir: string, other?: { root: string; configFile: false }) {
  const vite = await import('vite');
  const plugins = other ? [(await import('@vitejs/plugin-react')).default()] : undefined;
  await vite.build({
    configFile: other ? false : configFile,
    root: other?.root,
    plugins,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, manifest: true },
  });
  return JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/**
 * The console's performance budget (issue 13): JavaScript and CSS a browser loads before each page
 * shows, gzipped, against 500 KiB; every page is its own chunk. The comparison, built in the same
 * run, is a bare page of the same stack (React + antd's ConfigProvider and a Button): what the
 * framework alone costs, so the console's own share reads off the difference.
 */
export async function benchWebConsole() {
  const work = mkdtempSync(join(tmpdir(), 'tagloom-web-bench-'));
  try {
    const dir = join(work, 'console');
    const manifest = await build(dir);
    const consoleEntry = 'index.html';
    const first = closure(manifest, consoleEntry);
    const pages: Record<string, { gzipKiB: number; firstLoadGzipKiB: number }> = {};
    // Pages' strings load with them, one chunk per namespace and language. A page is charged the
    // Chinese (default) namespaces whose name appears as a string in its code (`useTranslation('smart')`
    // keeps the name): an upper bound, since a name may also appear for another reason.
    const dynamic = manifest[consoleEntry]?.dynamicImports ?? [];
    const stringsOf = (language: string) => Object.keys(manifest).filter((key) => (manifest[key]?.src ?? key).includes(`i18n/${language}/`));
    const namespaceOf = (key: string) => /([^/]+)\.json$/.exec(manifest[key]?.src ?? key)?.[1] ?? key;
    const named = (files: Set<string>, key: string) =>
      [...files].some((f) => f.endsWith('.js') && new RegExp(`["'\`]${namespaceOf(key)}["'\`]`).test(readFileSync(join(dir, f), 'utf8')));
    const stringsFor = (files: Set<string>) =>
      new Set(
        stringsOf('zh-CN')
          .filter((key) => named(files, key))
          .flatMap((key) => [...closure(manifest, key)]),
      );
    const allOf = (language: string) => new Set(stringsOf(language).flatMap((key) => [...closure(manifest, key)]));
    const chargeOf = (key: string, shown: Set<string>) => {
      const code = closure(manifest, key);
      const own = [...code, ...stringsFor(new Set([...shown, ...code]))].filter((f) => !shown.has(f));
      return { gzipKiB: gzipKiB(dir, own).gzipKiB, firstLoadGzipKiB: gzipKiB(dir, new Set([...shown, ...own])).gzipKiB };
    };
    for (const key of dynamic) {
      // A library loaded on demand (pinyin-pro, when the quick jump opens) is listed by its package.
      const src = manifest[key]?.src ?? key;
      const name = src.includes('node_modules/') ? `on demand: ${src.split('node_modules/')[1]!.split('/dist')[0]}` : src.replace(/^src\//, '');
      pages[name] = chargeOf(key, first);
      // What a page fetches after it is on screen (the statistics page's ECharts) is listed beside it.
      for (const later of manifest[key]?.dynamicImports ?? []) {
        const laterSrc = (manifest[later]?.src ?? later).replace(/^src\//, '');
        pages[`after ${name}: ${laterSrc}`] = chargeOf(later, new Set([...first, ...closure(manifest, key)]));
      }
    }
    const sidebar = gzipKiB(dir, closure(manifest, 'sidebar.html'));
    let baseline: ReturnType<typeof gzipKiB> | undefined;

    // The same-run comparison: a bare page of the same stack, built from a folder beside the console
    // (so it resolves the same node_modules) with the same plugins.
    const bare = mkdtempSync(join(fileURLToPath(new URL('../web/', import.meta.url)), '.bench-bare-'));
    try {
      writeFileSync(
        join(bare, 'main.tsx'),
        "import { createRoot } from 'react-dom/client';\nimport { Button, ConfigProvider } from 'antd';\ncreateRoot(document.getElementById('root')!).render(<ConfigProvider><Button>hello</Button></ConfigProvider>);\n",
      );
      writeFileSync(join(bare, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="./main.tsx"></script>');
      const bareDir = join(work, 'bare');
      const bareManifest = await build(bareDir, { root: bare, configFile: false });
      const bareEntry = Object.keys(bareManifest).find((k) => bareManifest[k]!.isEntry)!;
      baseline = gzipKiB(bareDir, closure(bareManifest, bareEntry));
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }

    const worst = Math.max(
      ...Object.entries(pages)
        .filter(([name]) => !name.startsWith('after '))
        .map(([, p]) => p.firstLoadGzipKiB),
    );
    return {
      target: `first load of any page ≤ ${budgetGzipKiB} KiB gzipped (JS + CSS)`,
      consoleShell: gzipKiB(dir, first),
      pageStrings: { zhCN: gzipKiB(dir, allOf('zh-CN')), enUS: gzipKiB(dir, allOf('en-US')) },
      pages,
      sidebar,
      baselineBareReactAntd: baseline,
      worstFirstLoadGzipKiB: worst,
      withinBudget: worst <= budgetGzipKiB,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
