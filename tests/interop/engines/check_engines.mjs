// Evaluates fengqiao's exported rule tables with engines that are not fengqiao's and checks every
// decision against fengqiao's own (written by engine_workload):
// - JDM: GoRules ZEN (@gorules/zen-engine), the decision table as written, one evaluate() per
//   incident;
// - DMN 1.3: the XML read by bpmn.io's dmn-moddle, every input expression and unary test evaluated
//   by bpmn.io's FEEL interpreter (feelin); the hit policy (FIRST, PRIORITY by the output values'
//   order, COLLECT, UNIQUE) applied over the rules as DMN 1.3 defines it.
//   node check_engines.mjs WORKLOAD_DIR
import fs from 'node:fs';
import path from 'node:path';
import { ZenEngine } from '@gorules/zen-engine';
import DmnModdle from 'dmn-moddle';
import { evaluate, unaryTest } from 'feelin';

const dir = process.argv[2];

// FEEL results memoised by (text, value): a unary test or an input expression over one variable
// is a pure function of that variable's value.
const memo = new Map();
function memoised(kind, text, key, compute) {
  let byText = memo.get(kind + text);
  if (!byText) memo.set(kind + text, (byText = new Map()));
  let v = byText.get(key);
  if (v === undefined) byText.set(key, (v = compute()));
  return v;
}

async function dmnTable(xml) {
  const { rootElement } = await new DmnModdle().fromXML(xml);
  const decision = rootElement.drgElement.find((e) => e.$type === 'dmn:Decision');
  const t = decision.decisionLogic;
  const inputs = t.input.map((i) => i.inputExpression.text);
  // The variable an input expression reads: `kind`, or `capacity` of get value(capacity, ...).
  const roots = inputs.map((e) => (e.match(/get value\(get value\((\w+)/) || [null, e])[1]);
  const outputs = t.output.map((o) => o.name);
  const idColumn = outputs.indexOf('rule_id');
  const rules = t.rule.map((r) => ({
    cells: r.inputEntry.map((e) => e.text.trim()),
    id: evaluate(r.outputEntry[idColumn].text, {}),
  }));
  let rank = null;
  if (t.hitPolicy === 'PRIORITY') {
    const order = t.output[idColumn].outputValues.text;
    rank = new Map(evaluate(`[${order}]`, {}).map((id, i) => [id, i]));
  }
  return { hitPolicy: t.hitPolicy || 'UNIQUE', inputs, roots, rules, rank };
}

function dmnDecide(table, input) {
  const values = new Array(table.inputs.length);
  const keys = new Array(table.inputs.length);
  const value = (c) => {
    if (keys[c] === undefined) {
      const root = table.roots[c];
      const rootKey = JSON.stringify(input[root] ?? null);
      values[c] = memoised('e', table.inputs[c], rootKey,
                           () => evaluate(table.inputs[c], { [root]: input[root] ?? null }));
      keys[c] = JSON.stringify(values[c] ?? null);
    }
    return keys[c];
  };
  const matches = [];
  for (const rule of table.rules) {
    let ok = true;
    for (let c = 0; c < rule.cells.length && ok; c++) {
      const cell = rule.cells[c];
      if (cell === '-' || cell === '') continue;
      const key = value(c);
      ok = memoised('u', cell, key, () => unaryTest(cell, { '?': values[c] ?? null }) === true);
    }
    if (!ok) continue;
    if (table.hitPolicy === 'FIRST') return rule.id;
    matches.push(rule.id);
  }
  if (table.hitPolicy === 'PRIORITY') {
    if (matches.length === 0) return null;
    return matches.reduce((a, b) => (table.rank.get(b) < table.rank.get(a) ? b : a));
  }
  if (table.hitPolicy === 'FIRST') return null;
  return matches;  // COLLECT; UNIQUE (more than one: the table's rules overlap)
}

async function zenDecisions(zen, jdm, rows, many) {
  const decision = zen.createDecision(Buffer.from(jdm));
  const out = new Array(rows.length);
  const batch = 64;
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const results = await Promise.all(part.map((r) => decision.evaluate(r.input)));
    results.forEach((r, k) => {
      const res = r.result;
      out[i + k] = many ? (Array.isArray(res) ? res.map((x) => x.rule_id) : [])
                        : (res && res.rule_id !== undefined ? res.rule_id : null);
    });
  }
  return out;
}

async function main() {
  const sets = fs.readFileSync(path.join(dir, 'sets.txt'), 'utf8').trim().split('\n')
    .map((l) => l.split(' '));
  const zen = new ZenEngine();
  let failed = 0, checked = 0;
  for (const [name, policy] of sets) {
    const rows = fs.readFileSync(path.join(dir, `${name}.jsonl`), 'utf8').trim().split('\n')
      .map((l) => JSON.parse(l));
    const many = policy === 'collect' || policy === 'unique';
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    let start = Date.now();
    const zenOut = await zenDecisions(zen, fs.readFileSync(path.join(dir, `${name}.jdm.json`)),
                                      rows, many);
    let wrong = 0, shown = 0;
    rows.forEach((r, i) => {
      if (same(zenOut[i], r.expected)) return;
      wrong++;
      if (shown++ < 3) {
        console.log(`  ${name} jdm: incident ${i}: ZEN ${JSON.stringify(zenOut[i])}, fengqiao ` +
                    `${JSON.stringify(r.expected)}; input ${JSON.stringify(r.input)}`);
      }
    });
    console.log(`${name} (${policy}): GoRules ZEN on the JDM table: ${rows.length} incidents, ` +
                `${wrong} differ from fengqiao (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    failed += wrong;
    checked += rows.length;
    start = Date.now();
    const table = await dmnTable(fs.readFileSync(path.join(dir, `${name}.dmn`), 'utf8'));
    wrong = 0;
    shown = 0;
    rows.forEach((r, i) => {
      const got = dmnDecide(table, r.input);
      if (same(got, r.expected)) return;
      wrong++;
      if (shown++ < 3) {
        console.log(`  ${name} dmn: incident ${i}: DMN ${JSON.stringify(got)}, fengqiao ` +
                    `${JSON.stringify(r.expected)}; input ${JSON.stringify(r.input)}`);
      }
    });
    console.log(`${name} (${policy}): DMN 1.3 table (dmn-moddle + feelin): ${rows.length} ` +
                `incidents, ${wrong} differ from fengqiao (${((Date.now() - start) / 1000).toFixed(1)} s)`);
    failed += wrong;
    checked += rows.length;
  }
  console.log(`${checked - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 && checked > 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
