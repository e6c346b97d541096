// Every subcommand registers itself here; main.ts stays a thin shell.
import type { Command } from 'commander';
import { registerDemo } from './demo.js';
import { registerGet } from './get.js';
import { registerLab } from './lab.js';
import { registerPing } from './ping.js';
import { registerRead } from './read.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerShell } from './shell.js';
import { registerSim } from './sim.js';
import { registerSniff } from './sniff.js';

export const registrations: Array<(program: Command) => void> = [
  registerDemo,
  registerGet,
  registerLab,
  registerPing,
  registerRead,
  registerReport,
  registerServe,
  registerShell,
  registerSim,
  registerSniff,
];
