// The package's API reference, generated from its declarations (package/js/index.d.ts) with the
// TypeScript compiler's parser, into package/README.md between the `<!-- api -->` markers.
//   node tests/package/apidoc.mjs          rewrites the README
//   node tests/package/apidoc.mjs --check  fails when the README is not what the declarations give
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const ts = createRequire(join(repo, 'tests', 'e2e', 'package.json'))('typescript');

const flat = (text) => text.replace(/\s+/g, ' ').trim();

/** The JSDoc text of a node ('' without one). */
function doc(node) {
  const comments = (node.jsDoc ?? []).map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? ''));
  return flat(comments.join(' '));
}

/** The declaration as written, without `export declare`. */
function signature(node, sf) {
  return flat(node.getText(sf)).replace(/^export (declare )?/, '').replace(/;$/, '');
}

const cell = (text) => text.replace(/\|/g, '\\|');

/** Markdown for the declarations of `source`. */
export function reference(source) {
  const sf = ts.createSourceFile('index.d.ts', source, ts.ScriptTarget.Latest, true);
  const out = [];
  for (const node of sf.statements) {
    const exported = node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    const name = node.name?.getText(sf);
    if (ts.isFunctionDeclaration(node)) {
      out.push(`### \`${name}()\``, '', '```ts', signature(node, sf), '```', '', doc(node), '');
    } else if (ts.isClassDeclaration(node)) {
      out.push(`### class \`${name}\``, '', doc(node), '');
      const members = node.members.filter((m) => !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword));
      if (members.length) {
        out.push('| member | description |', '| --- | --- |');
        for (const m of members) out.push(`| \`${cell(signature(m, sf))}\` | ${cell(doc(m))} |`);
        out.push('');
      }
    } else if (ts.isInterfaceDeclaration(node)) {
      const heritage = node.heritageClauses ? ` ${flat(node.heritageClauses.map((h) => h.getText(sf)).join(' '))}` : '';
      out.push(`### interface \`${name}\`${heritage}`, '', doc(node), '');
      out.push('| member | type | description |', '| --- | --- | --- |');
      for (const m of node.members) {
        if (ts.isPropertySignature(m)) {
          const key = `${m.name.getText(sf)}${m.questionToken ? '?' : ''}`;
          out.push(`| \`${cell(key)}\` | \`${cell(flat(m.type?.getText(sf) ?? 'unknown'))}\` | ${cell(doc(m))} |`);
        } else {
          out.push(`| \`${cell(signature(m, sf))}\` |  | ${cell(doc(m))} |`);
        }
      }
      out.push('');
    } else if (ts.isTypeAliasDeclaration(node)) {
      out.push(`### type \`${name}\``, '', doc(node), '', '```ts', signature(node, sf), '```', '');
    }
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The README with its reference section made from the declarations. */
export async function readme() {
  const [source, text] = await Promise.all([
    readFile(join(repo, 'package', 'js', 'index.d.ts'), 'utf8'),
    readFile(join(repo, 'package', 'README.md'), 'utf8'),
  ]);
  const [start, end] = ['<!-- api -->', '<!-- /api -->'];
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error('package/README.md has no <!-- api --> … <!-- /api --> section');
  return { text, made: `${text.slice(0, a + start.length)}\n\n${reference(source).trim()}\n\n${text.slice(b)}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { text, made } = await readme();
  if (process.argv.includes('--check')) {
    if (text !== made) {
      console.error('package/README.md: the API reference differs from package/js/index.d.ts; run node tests/package/apidoc.mjs');
      process.exit(1);
    }
    console.log('package/README.md: the API reference matches the declarations');
  } else {
    await writeFile(join(repo, 'package', 'README.md'), made);
    console.log('package/README.md: API reference written');
  }
}
