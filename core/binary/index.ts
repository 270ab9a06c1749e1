// Public surface of the binary layer: decoder, module model, opcode table, instruction reader.
export { decodeModule } from './decode';
export { ByteReader } from './leb128';
export { concatBytes } from './bytes';
export { InstrReader, isValTypeByte } from './instructions';
export { Imm, opInfo, opByName, allOps, type OpInfo, PREFIX_FB, PREFIX_FC, PREFIX_FD, PREFIX_FE } from './opcodes';
export * from './module';
