// Public API of core/text: lexer, CST, module model with symbols, assembler with source map, .wast parser.
export { LineIndex, type Position, type Range } from './line-index';
export { lex, decodeString, utf8ToString, isIdChar, Token, type TokenKind, type LexResult, type LexError } from './lexer';
export { parseTree, isList, headKeyword, type SList, type SNode, type ParseTree, type Diagnostic } from './cst';
export * from './model';
export { parseWat, moduleFromList, buildModule, type WatDocument } from './document';
export { instrInfo, allInstructions, type InstrInfo, type ImmKind } from './instructions';
export { parseI32, parseI64, parseF32, parseF64, parseU32, parseIntLiteral } from './numbers';
export { assemble, watToBinary, type AssembleOptions, type AssembleResult } from './assembler';
export { SourceMap, type InstrMapping, type FuncMapping } from './source-map';
export { ParseError } from './errors';
export {
  parseWast, type WastScript, type WastCommand, type WastModule, type WastAction, type WastConst, type WastExpected, type NanPattern,
} from './wast';
