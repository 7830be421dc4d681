import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The house is layered: a file may only depend on files that do not depend back on it, and every
// authorization failure comes from src/policies/. These walks keep both true as the code grows.

const root = path.resolve(import.meta.dirname, '..');
const sourceFile = /\.(ts|tsx)$/;

/** Every .ts/.tsx file below `dir` (node_modules and build output left out), as absolute paths. */
function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...sourceFiles(full));
    else if (sourceFile.test(name) && !name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

/** The file a relative specifier names (`./x.js` is written for `./x.ts`), or undefined when it is not ours. */
function resolveImport(from: string, specifier: string, known: Set<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(js|jsx|ts|tsx)$/, '');
  for (const candidate of [base, `${stem}.ts`, `${stem}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (known.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The static imports of each file (`import … from`, `import type … from`, `export … from`; a type
 * import ties files together as much as a value import does). Dynamic `import()` is left out.
 */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const parsed = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const targets = new Set<string>();
    for (const statement of parsed.statements) {
      const specifier = ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const target = resolveImport(file, specifier.text, known);
      if (target) targets.add(target);
    }
    graph.set(file, [...targets]);
  }
  return graph;
}

/** The strongly connected components with more than one file (or a file importing itself): each is an import circle. */
function importCircles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative so deep import chains cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; edge: number }> = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || edges.includes(frame.node)) circles.push(component.map((f) => path.relative(root, f)).sort());
    }
  }
  return circles;
}

describe('architecture', () => {
  it('src/ (with contracts/) has no import circles', () => {
    const graph = importGraph([...sourceFiles(path.join(root, 'src')), ...sourceFiles(path.join(root, 'contracts'))]);
    expect(importCircles(graph)).toEqual([]);
  });

  it('web/ (with contracts/) has no import circles', () => {
    const graph = importGraph([...sourceFiles(path.join(root, 'web')), ...sourceFiles(path.join(root, 'contracts'))]);
    expect(importCircles(graph)).toEqual([]);
  });

  it('src/db/schema depends on nothing in src/modules', () => {
    const schemaDir = path.join(root, 'src/db/schema');
    const graph = importGraph(sourceFiles(path.join(root, 'src')));
    const leaks = [...graph].flatMap(([file, targets]) =>
      file.startsWith(schemaDir)
        ? targets.filter((t) => t.startsWith(path.join(root, 'src/modules'))).map((t) => `${path.relative(root, file)} → ${path.relative(root, t)}`)
        : [],
    );
    expect(leaks).toEqual([]);
  });

  it('refuses with AppError("forbidden") only inside src/policies/', () => {
    const policies = path.join(root, 'src/policies') + path.sep;
    const offenders = sourceFiles(path.join(root, 'src'))
      .filter((file) => !file.startsWith(policies) && !/\.test(-support)?\.ts$/.test(file) && !file.endsWith('architecture.test.ts'))
      .filter((file) => /AppError\(\s*['"]forbidden['"]/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(offenders).toEqual([]);
  });
});
