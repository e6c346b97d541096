// Every subcommand, loaded on demand: `synack read` loads only what `read` needs (start-up time matters
// for a tool people run in loops), `synack --help` loads them all.
import type { Command } from 'commander';

type Registration = (program: Command) => void;

export const commandLoaders: Record<string, () => Promise<Registration>> = {
  demo: async () => (await import('./demo.js')).registerDemo,
  get: async () => (await import('./get.js')).registerGet,
  lab: async () => (await import('./lab.js')).registerLab,
  ping: async () => (await import('./ping.js')).registerPing,
  read: async () => (await import('./read.js')).registerRead,
  report: async () => (await import('./report.js')).registerReport,
  serve: async () => (await import('./serve.js')).registerServe,
  shell: async () => (await import('./shell.js')).registerShell,
  sim: async () => (await import('./sim.js')).registerSim,
  sniff: async () => (await import('./sniff.js')).registerSniff,
};

/** The registrations needed for these arguments: the named command's alone, or all of them. */
export async function loadRegistrations(argv: readonly string[]): Promise<Registration[]> {
  const name = argv.find((arg) => !arg.startsWith('-'));
  const loaders = name && name in commandLoaders ? [commandLoaders[name]] : Object.values(commandLoaders);
  return Promise.all(loaders.map((load) => load()));
}
