// The WASI 0.3 host (async components): see host.ts.
export { WasiP3, interfaceKeyP3, type WasiP3Options } from './host';
