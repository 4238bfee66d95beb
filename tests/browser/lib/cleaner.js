'use strict';
// Runs the cleaner over a list of inputs for one policy selection: `sel` is
// { label, args } with args ['--preset', NAME] or ['--policy', FILE].
//   borax ARGS --ndjson  (one JSON string line in, one JSON string line out)
//   fallback when that exits with status 2 (unknown flag) for a preset: one
//   `borax --preset NAME` process per input, HTML on stdin, cleaned HTML on stdout.
//   For a policy file status 2 is an error (the file did not load).
// A non-zero exit (per input) means borax rejected the input.
// BORAX_BROWSER_CLEANER=cat makes the "cleaner" the identity (a self-test of
// the traps: raw XSS payloads must then be detected).
const { spawn } = require('child_process');
const os = require('os');

function run(cmd, args, stdin) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('error', reject);
    p.stdin.on('error', () => {}); // EPIPE when the process exits early
    p.on('close', (code, signal) =>
      resolve({
        code: code === null ? 128 + (os.constants.signals[signal] || 0) : code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    p.stdin.end(stdin);
  });
}

async function ndjson(bin, sel, inputs) {
  const stdin = inputs.map((s) => JSON.stringify(s)).join('\n') + '\n';
  const r = await run(bin, [...sel.args, '--ndjson'], stdin);
  if (r.code === 2 && sel.args[0] === '--preset') return { unsupported: true, stderr: r.stderr };
  if (r.code !== 0) {
    throw new Error(`${bin} ${sel.args.join(' ')} --ndjson exited ${r.code}${r.signal ? ` (${r.signal})` : ''}: ${r.stderr.trim().slice(0, 2000)}`);
  }
  const lines = r.stdout.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== inputs.length) {
    throw new Error(`${bin} ${sel.args.join(' ')} --ndjson: ${inputs.length} lines in, ${lines.length} lines out`);
  }
  return {
    results: lines.map((line, i) => {
      let v;
      try {
        v = JSON.parse(line);
      } catch (e) {
        throw new Error(`--ndjson output line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
      }
      if (typeof v === 'string') return { output: v };
      // Anything but a string (null, {"error": ...}) is a per-input rejection.
      return { rejected: true, error: typeof v === 'object' && v && v.error ? String(v.error) : JSON.stringify(v) };
    }),
  };
}

async function perInput(bin, sel, inputs, jobs) {
  const results = new Array(inputs.length);
  let next = 0;
  async function worker() {
    while (next < inputs.length) {
      const i = next++;
      const r = await run(bin, sel.args, inputs[i]);
      if (r.code === 0) results[i] = { output: r.stdout };
      else if (r.signal) throw new Error(`${bin} ${sel.args.join(' ')} died of ${r.signal} on input ${JSON.stringify(inputs[i]).slice(0, 200)}`);
      else results[i] = { rejected: true, error: `exit ${r.code}: ${r.stderr.trim().slice(0, 500)}` };
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker));
  return results;
}

// Returns { mode, results: [{output} | {rejected, error}] }.
async function clean(cleaner, sel, inputs) {
  if (cleaner === 'cat') return { mode: 'cat', results: inputs.map((s) => ({ output: s })) };
  const r = await ndjson(cleaner, sel, inputs);
  if (!r.unsupported) return { mode: 'ndjson', results: r.results };
  return { mode: 'per-input', results: await perInput(cleaner, sel, inputs, Math.max(2, os.cpus().length * 2)) };
}

// The policy as JSON from `borax ARGS --print-policy json`, or null when that
// is not available. For a policy file a failure is an error (naming borax's
// message): there is no fallback snapshot for it.
async function printPolicy(cleaner, sel) {
  if (cleaner === 'cat') return null;
  let r;
  try {
    r = await run(cleaner, [...sel.args, '--print-policy', 'json'], '');
  } catch (e) {
    return null;
  }
  if (r.code !== 0) {
    if (sel.args[0] === '--policy') {
      throw new Error(`${cleaner} ${sel.args.join(' ')} --print-policy json exited ${r.code}: ${r.stderr.trim().slice(0, 1000)}`);
    }
    return null;
  }
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    throw new Error(`${cleaner} ${sel.args.join(' ')} --print-policy json printed no JSON: ${r.stdout.slice(0, 300)}`);
  }
}

module.exports = { clean, printPolicy };
