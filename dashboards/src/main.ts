import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedFiles } from './generate';

/**
 * `npm run dashboards`: writes the dashboards' JSON and the provisioning files under dashboards/ (or the folder
 * given as argument), removing the JSON of dashboards that no longer exist.
 */
const root = resolve(process.argv[2] ?? join(process.cwd(), 'dashboards'));
const files = generatedFiles();
for (const dir of ['json/vigie', 'json/public']) {
  mkdirSync(join(root, dir), { recursive: true });
  for (const f of readdirSync(join(root, dir)))
    if (f.endsWith('.json') && !files.has(`${dir}/${f}`)) rmSync(join(root, dir, f));
}
for (const [path, content] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
process.stdout.write(`${files.size} files written under ${root}\n`);
