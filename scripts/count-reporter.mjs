// A node:test reporter for the run's summary line: it writes one JSON line per test that counts,
//   {"status":"pass"|"fail"|"skip","file":"test/unit/x.test.ts","name":"suite > test"}
// and scripts/run-tests.mjs adds them up over every `node --test` it starts.
//
// What counts (Node 20.20 event stream): tests without subtests. Not counted on their own: describe
// blocks (details.type === 'suite'), tests that only group subtests (type 'test', but children came
// first), and the per-file wrapper Node reports under the file's own path. Node reports such a group
// as failed whenever something inside failed; that is already counted. A group that fails while
// all its subtests passed failed by itself (a hook threw, an error escaped every test, the file
// exited non-zero) and counts as one failure, so a failing run never ends with "0 failed".
import { relative, resolve } from 'node:path';

export default async function* countReporter(source) {
  const files = new Map();
  for await (const event of source) {
    const { data } = event;
    const file = data?.file ?? '';
    if (!files.has(file)) files.set(file, { names: [], hasChildren: [], childFailed: [] });
    const state = files.get(file);
    if (event.type === 'test:start') state.names[data.nesting] = data.name;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const status = classify(event.type === 'test:fail', data, settle(state, data, event.type));
    if (status)
      yield `${JSON.stringify({ status, file: relative('.', file), name: fullName(state, data) })}\n`;
  }
}

// Events arrive children first, then their parent, so a flag per nesting level says whether the
// test now ending had subtests (and whether one of them failed). Ending resets the level for its
// next sibling and marks the parent level.
function settle(state, data, type) {
  const n = data.nesting;
  const seen = { hasChildren: state.hasChildren[n] === true, childFailed: state.childFailed[n] === true };
  state.hasChildren[n] = false;
  state.childFailed[n] = false;
  if (n > 0) {
    state.hasChildren[n - 1] = true;
    if ((type === 'test:fail' && !data.todo) || seen.childFailed) state.childFailed[n - 1] = true;
  }
  return seen;
}

function classify(failed, data, { hasChildren, childFailed }) {
  const fileWrapper = data.nesting === 0 && data.file && resolve(data.name) === data.file;
  const group = hasChildren || data.details?.type === 'suite' || fileWrapper;
  // A todo test may fail without failing the run (node:test's rule), so it is not a failure here.
  if (data.skip || data.todo) return group ? null : 'skip';
  if (!group) return failed ? 'fail' : 'pass';
  return failed && !childFailed ? 'fail' : null;
}

function fullName(state, data) {
  if (data.nesting === 0 && data.file && resolve(data.name) === data.file) return '(outside any test)';
  return [...state.names.slice(0, data.nesting), data.name].join(' > ');
}
