// `wasmscope inspect`: show a module's imports, exports, sections and (with --disassemble) its code.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { decodeModule } from '../../core/binary';
import { componentToText, decodeComponent, describeWorld, formatWit, isComponent, validateComponent } from '../../core/component';
import { loadWabt } from '../../core/check/wabt-loader';
import { ConversionError, nestedModuleToWat } from '../../core/inspect/wabt-convert';
import { WasmError } from '../../core/errors';
import { disassemblyChunks, formatSummary, summarizeModule } from '../../core/inspect';
import { ParseError, watToBinary } from '../../core/text';
import { componentTextToBinary, isComponentText } from '../../core/component/text';
import { CliError, type Command } from '../command';
import type { Features } from '../../core/features';
import { FEATURE_FLAGS_HELP, applyFeatureFlag } from '../feature-flags';

const USAGE = `wasmscope inspect [--disassemble | --text] [--json] [FEATURE FLAGS] FILE.wasm|FILE.wat

Prints the module's size, its sections with their sizes, its imports and exports with their
signatures, and how many functions, tables, memories, globals and segments it defines.
  -d, --disassemble   also print every function, one instruction per line with its byte offset
                      and the names from the name section
      --json          print the summary as JSON (sections, imports, exports, counts)
      --text          print the text format instead: a component as (component ...) with its
                      core modules, instances, aliases, types, canon definitions, imports and
                      exports (as wasm-tools prints it); a core module as wasm2wat prints it
A component prints its world as WIT (imports and exports with their functions, types and
resources) and its nested core modules with their imports and exports; --json gives the same.
A .wat file is assembled first (with its names, as wat2wasm --debug-names would), so offsets
are those of the assembled binary; a .wat holding (component ...) text is read as a component.

${FEATURE_FLAGS_HELP}
`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: "Show a module's imports, exports, sections and disassembly",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    let disassembly = false;
    let json = false;
    let text = false;
    const files: string[] = [];
    const features: Features = {};
    for (const arg of argv) {
      if (applyFeatureFlag(arg, features)) continue;
      if (arg === '--disassemble' || arg === '-d') disassembly = true;
      else if (arg === '--json') json = true;
      else if (arg === '--text') text = true;
      else if (arg.startsWith('-') && arg !== '-') throw new CliError(`unknown option ${arg}`);
      else files.push(arg);
    }
    if (files.length !== 1) throw new CliError('expected one FILE.wasm or FILE.wat (usage: wasmscope inspect [--disassemble] FILE)');
    const file = files[0]!;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(file));
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 1);
    }
    if (extname(file).toLowerCase() === '.wat') {
      try {
        const source = new TextDecoder().decode(bytes);
        // Our assembler writes the same bytes as wat2wasm --debug-names, so offsets match wabt's tools.
        bytes = isComponentText(source) ? componentTextToBinary(source, { features }) : watToBinary(source, { features }).bytes;
      } catch (err) {
        if (err instanceof ParseError) throw new CliError(`${file}:${err.message}`, 1);
        throw err;
      }
    }
    if (text) {
      if (json || disassembly) throw new CliError('--text cannot be combined with --json or --disassemble');
      const wabt = await loadWabt();
      // A reader that stops early (`| head`) closes the pipe: that is not an error.
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      });
      try {
        process.stdout.write(isComponent(bytes) ? componentToText(wabt, bytes, features) : nestedModuleToWat(wabt, bytes, features));
      } catch (err) {
        if (err instanceof WasmError) throw new CliError(`${file}: not a valid component: ${err.message}`, 1);
        if (err instanceof ConversionError) throw new CliError(`${file}: cannot print as text: ${err.message}`, 1);
        throw err;
      }
      return 0;
    }
    if (isComponent(bytes)) {
      let world;
      try {
        // Core code is not type-checked here: inspect shows structure, `wasmscope check` validates.
        world = describeWorld(validateComponent(decodeComponent(bytes, { features }), { coreCode: false, features }));
      } catch (err) {
        if (err instanceof WasmError) throw new CliError(`${file}: not a valid component: ${err.message}`, 1);
        throw err;
      }
      process.stdout.write(json ? `${JSON.stringify({ component: true, size: bytes.length, ...world }, null, 2)}\n` : formatWit(world));
      if (disassembly) {
        for (const m of world.coreModules) {
          const core = decodeModule(bytes.subarray(m.offset, m.offset + m.size), { features });
          process.stdout.write(`\n;; core module ${m.index}${m.name ? ` ${m.name}` : ''} (offsets relative to the module)\n`);
          for (const chunk of disassemblyChunks(core, { header: false })) process.stdout.write(chunk);
        }
      }
      return 0;
    }
    let module;
    try {
      module = decodeModule(bytes, { features });
    } catch (err) {
      if (err instanceof WasmError) throw new CliError(`${file}: not a valid WebAssembly module: ${err.message}`, 1);
      throw err;
    }
    const summary = summarizeModule(module);
    if (json) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      process.stdout.write(formatSummary(summary));
    }
    if (disassembly) {
      // Function by function, waiting for the pipe to drain: the listing of a big module is larger
      // than any one string and than memory should hold.
      // A reader that stops early (`| head`) closes the pipe: stop writing, as other tools do.
      let closed = false;
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
        closed = true;
        process.stdout.emit('drain');
      });
      process.stdout.write('\n');
      for (const chunk of disassemblyChunks(module, { header: false })) {
        if (closed) break;
        if (!process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
      }
    }
    return 0;
  },
};

