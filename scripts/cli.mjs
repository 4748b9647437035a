// Command-line flags for the repository's Node scripts: node:util parseArgs, errors that name the flag, and --help.
import { parseArgs } from 'node:util';

/// A bad command line: the script prints the message and its usage and exits with status 2.
export class UsageError extends Error {}

/// The flags in `argv` as {values, help}: parseArgs with `options` (its format) and --help/-h added; strict, no
/// positionals. An unknown flag, a flag without its value or a stray argument throws UsageError naming it.
export function readFlags(argv, options) {
  try {
    const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } });
    return { values, help: values.help === true };
  } catch (error) {
    if (!String(error.code).startsWith('ERR_PARSE_ARGS')) throw error;
    const flag = /'(-[^' ]+)/.exec(error.message)?.[1];
    const spec = flag && options[flag.replace(/^-+/, '')];
    if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && spec) {
      throw new UsageError(spec.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value`);
    }
    if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new UsageError(`unknown flag ${flag ?? error.message}; the flags are ${Object.keys(options).map((name) => `--${name}`).join(', ')}, --help`);
    }
    if (error.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''}: only flags are taken`);
    }
    throw new UsageError(error.message.split('. ')[0]);
  }
}

/// The whole number flag `name` holds (its text in `values`), or UsageError naming the flag and its bounds.
export function wholeNumber(values, name, min, max) {
  const text = String(values[name]);
  const n = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (not "${text}")`);
  return n;
}

/// This process's command line read with readFlags and then `check` (values -> the script's options, throwing
/// UsageError for a bad value): --help prints `usage` and exits 0; a UsageError prints `name: message` and the
/// usage and exits 2.
export function readCommandLine(name, usage, options, check = (values) => values) {
  try {
    const flags = readFlags(process.argv.slice(2), options);
    if (flags.help) {
      console.log(usage);
      process.exit(0);
    }
    return check(flags.values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${name}: ${error.message}\n${usage}`);
    process.exit(2);
  }
}
