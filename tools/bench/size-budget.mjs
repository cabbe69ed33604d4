// The size budget check of `make test`: the brotli -q 11 size of dist/'s
// first-load files, summed, against the number in tools/bench/size-budget.txt.
// Prints the figure and the budget; exits 1 when the budget is exceeded.
//
//   node tools/bench/size-budget.mjs [DIST]
import { readFileSync } from 'node:fs';
import { sizes } from './sizes.mjs';

const budgetFile = new URL('./size-budget.txt', import.meta.url);
const line = readFileSync(budgetFile, 'utf8').split('\n').find((l) => /^\s*\d+\s*$/.test(l));
if (!line) {
  console.error(`no budget (a line with a number of bytes) in ${budgetFile.pathname}`);
  process.exit(2);
}
const budget = Number(line.trim());
const s = sizes(process.argv[2] ?? 'dist');
const used = s.firstLoad.brotli;
const detail = s.files.map((f) => `${f.name} ${f.brotli}`).join(', ');
if (used > budget) {
  console.log(`size budget EXCEEDED: first load ${used} B brotli > budget ${budget} B (+${used - budget} B)`);
  console.log(`  ${detail}`);
  console.log('  Make it smaller, or raise the budget in tools/bench/size-budget.txt with a note saying why.');
  process.exit(1);
}
console.log(`size budget: first load ${used} B brotli <= budget ${budget} B (${budget - used} B left; wasm ${s.wasm.brotli} B, raw ${s.firstLoad.raw} B, gzip -9 ${s.firstLoad.gzip} B)`);
