// core/wasi/p2: the WASI 0.2 host for components (wasi:cli, io, clocks, random, filesystem).
export { WasiP2, interfaceKey, type WasiP2Options } from './host';
export { ok, err, some, none, type Tagged, type HostResource } from './values';
