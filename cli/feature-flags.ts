// The feature flags every sub-command takes (run, spec, check, inspect): --features=LIST,
// --enable-NAME, --disable-NAME, --enable-all, with wat2wasm's kebab-case names.
import { DEFAULT_FEATURES, FEATURE_NAMES, featureByName, featureFlagName, type Features } from '../core/features';
import { CliError } from './command';

const FLAG_NAMES = new Map(FEATURE_NAMES.map((name) => [featureFlagName(name), name]));

export const FEATURE_FLAGS_HELP = `Features (default: all of Wasm 3.0):
  --enable-NAME, --disable-NAME   switch one proposal on or off
  --enable-all                    every proposal
  --features=LIST                 comma-separated: NAME (on), -NAME (off), all, none, 2.0 (Wasm 2.0's set)
  NAME is one of: ${[...FLAG_NAMES.keys()].join(', ')}`;

/** Applies `arg` to `features` when it is a feature flag; false when it is some other argument. */
export function applyFeatureFlag(arg: string, features: Features): boolean {
  if (arg === '--enable-all') {
    for (const name of FEATURE_NAMES) features[name] = true;
    return true;
  }
  if (arg.startsWith('--enable-') || arg.startsWith('--disable-')) {
    const on = arg.startsWith('--enable-');
    const name = FLAG_NAMES.get(arg.slice(on ? 9 : 10));
    if (!name) throw new CliError(`unknown feature in ${arg} (known: ${[...FLAG_NAMES.keys()].join(', ')})`);
    features[name] = on;
    return true;
  }
  if (arg.startsWith('--features=')) {
    for (const item of arg.slice(11).split(',')) {
      const word = item.trim();
      if (word === '') continue;
      if (word === 'all' || word === 'none') {
        for (const name of FEATURE_NAMES) features[name] = word === 'all';
      } else if (word === '2.0') {
        Object.assign(features, DEFAULT_FEATURES);
      } else {
        const off = word.startsWith('-');
        const name = featureByName(off ? word.slice(1) : word);
        if (!name) throw new CliError(`unknown feature '${word}' in ${arg} (known: ${[...FLAG_NAMES.keys()].join(', ')})`);
        features[name] = !off;
      }
    }
    return true;
  }
  return false;
}
