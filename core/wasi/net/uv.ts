// Node's libuv TCP handle (process.binding('tcp_wrap')), used because node:net has no separate
// bind: WASI binds a socket first (reporting address-in-use and the chosen port at once) and
// listens or connects later, which only the handle underneath net.Server/net.Socket can do.
// The handle's methods return 0 or a negative errno; misuse aborts the process, so every call
// goes through the small typed surface below.

export interface UvTcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  listen(backlog: number): number;
  getsockname(out: { address?: string; port?: number; family?: string }): number;
  close(cb?: () => void): void;
}

interface TcpWrap {
  TCP: new (type: number) => UvTcpHandle;
  constants: { SOCKET: number; SERVER: number; UV_TCP_IPV6ONLY: number };
}

interface UvBinding {
  errname(status: number): string;
}

type Binding = (name: string) => unknown;
const binding = (process as unknown as { binding: Binding }).binding.bind(process);

let tcpWrap: TcpWrap | undefined;
let uv: UvBinding | undefined;

/** A new, unbound libuv TCP handle (the kind net.Socket and net.Server wrap). */
export function newTcpHandle(): UvTcpHandle {
  tcpWrap ??= binding('tcp_wrap') as TcpWrap;
  return new tcpWrap.TCP(tcpWrap.constants.SOCKET);
}

export function ipv6OnlyFlag(): number {
  tcpWrap ??= binding('tcp_wrap') as TcpWrap;
  return tcpWrap.constants.UV_TCP_IPV6ONLY ?? 1;
}

/** 'EADDRINUSE' for -98 on Linux. */
export function errname(status: number): string {
  uv ??= binding('uv') as UvBinding;
  try {
    return uv.errname(status);
  } catch {
    return `errno ${status}`;
  }
}
