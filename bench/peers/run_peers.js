// Runs json-rules-engine and GoRules ZEN on fengqiao's exported workloads, one decision at a
// time, checks every answer against fengqiao's, and prints decisions/s with the C++ figures from
// routing_bench's JSON output beside them.
//   node run_peers.js WORKLOAD_DIR ROUTING_BENCH_JSON [SECONDS_PER_RUN]
const fs = require('fs');
const path = require('path');
const { Engine } = require('json-rules-engine');
const { ZenEngine } = require('@gorules/zen-engine');

const [dir, benchJson, secondsArg] = process.argv.slice(2);
const budgetMs = 1000 * Number(secondsArg || 5);

async function timeIt(name, facts, expected, decide) {
  let n = 0, wrong = 0;
  const start = process.hrtime.bigint();
  while (n < facts.length) {
    const got = await decide(facts[n]);
    if (got !== expected[n]) wrong++;
    n++;
    if (n >= 20 && Number(process.hrtime.bigint() - start) / 1e6 > budgetMs) break;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { name, n, wrong, perSecond: n / seconds };
}

async function main() {
  const cpp = {};
  for (const b of JSON.parse(fs.readFileSync(benchJson, 'utf8')).benchmarks) {
    if (b.items_per_second) cpp[b.name] = b.items_per_second;
  }
  const rows = [];
  for (const count of [20, 200, 2000]) {
    const w = JSON.parse(fs.readFileSync(path.join(dir, `workload_${count}.json`), 'utf8'));
    // json-rules-engine: FIRST hit through unique descending priorities and stop().
    const engine = new Engine([], { allowUndefinedFacts: true });
    for (const r of w.json_rules_engine) engine.addRule(r);
    let hit = -1;
    engine.on('success', (event) => { if (hit < 0) { hit = event.params.index; engine.stop(); } });
    const jre = await timeIt('json-rules-engine 7.3.1', w.facts, w.expected, async (f) => {
      hit = -1;
      await engine.run(f);
      return hit;
    });
    // ZEN: the first-hit decision table fengqiao exports (ExportRuleTable), one evaluate() at a
    // time on the input objects RuleTableInput writes.
    const zen = new ZenEngine();
    const decision = zen.createDecision(Buffer.from(JSON.stringify(w.zen)));
    const z = await timeIt('GoRules ZEN 0.54 (Node)', w.zen_facts, w.expected_ids, async (f) => {
      const r = await decision.evaluate(f);
      return r.result && r.result.rule_id !== undefined ? r.result.rule_id : null;
    });
    rows.push({ count, jre, zen: z,
                batch: cpp[`BM_RouteBatch/${count}`], single: cpp[`BM_Route/${count}`],
                naive: cpp[`BM_NaiveFirstMatch/${count}`] });
  }
  const fmt = (x) => (x >= 1e6 ? (x / 1e6).toFixed(1) + ' M' : x >= 1e3 ? (x / 1e3).toFixed(1) + ' k' : x.toFixed(0));
  console.log('decisions/s, one core; the same rules and incidents (peers checked against fengqiao)');
  console.log('rules | json-rules-engine | ZEN | C++ naive first-match | fengqiao Route | fengqiao RouteBatch | batch / ZEN | batch / json-rules-engine');
  for (const r of rows) {
    console.log([r.count, `${fmt(r.jre.perSecond)} (${r.jre.n} run, ${r.jre.wrong} wrong)`,
                 `${fmt(r.zen.perSecond)} (${r.zen.n} run, ${r.zen.wrong} wrong)`,
                 fmt(r.naive || 0), fmt(r.single || 0), fmt(r.batch || 0),
                 `${Math.round((r.batch || 0) / r.zen.perSecond)}x`,
                 `${Math.round((r.batch || 0) / r.jre.perSecond)}x`].join(' | '));
  }
  if (rows.some((r) => r.jre.wrong || r.zen.wrong)) process.exitCode = 1;
}

main().catch((e) => { console.error(e); process.exit(1); });
