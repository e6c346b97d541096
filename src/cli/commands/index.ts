// Every subcommand registers itself here; main.ts stays a thin shell.
import type { Command } from 'commander';
import { registerRead } from './read.js';

export const registrations: Array<(program: Command) => void> = [registerRead];
