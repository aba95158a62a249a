/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface PeerAddress {
  peerId: Uint8Array<ArrayBuffer>
  multiaddr: Uint8Array<ArrayBuffer>
  lastSeen: number
}

export namespace PeerAddress {
  let _codec: Codec<PeerAddress>

  export const codec = (): Codec<PeerAddress> => {
    if (_codec == null) {
      _codec = message<PeerAddress>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.peerId)
        }

        if ((obj.multiaddr != null && obj.multiaddr.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.multiaddr)
        }

        if ((obj.lastSeen != null && obj.lastSeen !== 0)) {
          w.uint32(24)
          w.uint32(obj.lastSeen)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: uint8ArrayAlloc(0),
          multiaddr: uint8ArrayAlloc(0),
          lastSeen: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.bytes()
              break
            }
            case 2: {
              obj.multiaddr = reader.bytes()
              break
            }
            case 3: {
              obj.lastSeen = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.multiaddr`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.lastSeen`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PeerAddressPeerIdFieldEvent {
    field: '$.peerId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerAddressMultiaddrFieldEvent {
    field: '$.multiaddr'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PeerAddressLastSeenFieldEvent {
    field: '$.lastSeen'
    value: number
  }

  export function encode (obj: Partial<PeerAddress>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PeerAddress.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddress>): PeerAddress {
    return decodeMessage(buf, PeerAddress.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PeerAddress>): Generator<PeerAddressPeerIdFieldEvent | PeerAddressMultiaddrFieldEvent | PeerAddressLastSeenFieldEvent> {
    return streamMessage(buf, PeerAddress.codec(), opts)
  }
}

export interface GetAddr {}

export namespace GetAddr {
  let _codec: Codec<GetAddr>

  export const codec = (): Codec<GetAddr> => {
    if (_codec == null) {
      _codec = message<GetAddr>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export function encode (obj: Partial<GetAddr>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetAddr.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetAddr>): GetAddr {
    return decodeMessage(buf, GetAddr.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetAddr>): Generator<{}> {
    return streamMessage(buf, GetAddr.codec(), opts)
  }
}

export interface Addr {
  addrs: PeerAddress[]
}

export namespace Addr {
  let _codec: Codec<Addr>

  export const codec = (): Codec<Addr> => {
    if (_codec == null) {
      _codec = message<Addr>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(10)
            PeerAddress.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(PeerAddress.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addrs$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              for (const evt of PeerAddress.codec().stream(reader, reader.uint32(), `${prefix}.addrs[]`, {
                limits: opts.limits?.addrs$
              })) {
                yield {
                  ...evt,
                  index: obj.addrs
                }
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AddrAddrsPeerIdFieldEvent {
    field: '$.addrs[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AddrAddrsMultiaddrFieldEvent {
    field: '$.addrs[].multiaddr'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AddrAddrsLastSeenFieldEvent {
    field: '$.addrs[].lastSeen'
    value: number
    index: number
  }

  export function encode (obj: Partial<Addr>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Addr.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Addr>): Addr {
    return decodeMessage(buf, Addr.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Addr>): Generator<AddrAddrsPeerIdFieldEvent | AddrAddrsMultiaddrFieldEvent | AddrAddrsLastSeenFieldEvent> {
    return streamMessage(buf, Addr.codec(), opts)
  }
}

export interface AddrRequest {
  getAddr?: GetAddr
  addr?: Addr
}

export namespace AddrRequest {
  let _codec: Codec<AddrRequest>

  export const codec = (): Codec<AddrRequest> => {
    if (_codec == null) {
      _codec = message<AddrRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.addr != null) {
          obj.getAddr = undefined
        }

        if (obj.getAddr != null) {
          obj.addr = undefined
        }

        if (obj.getAddr != null) {
          w.uint32(10)
          GetAddr.codec().encode(obj.getAddr, w)
        }

        if (obj.addr != null) {
          w.uint32(18)
          Addr.codec().encode(obj.addr, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.getAddr = GetAddr.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getAddr
              })
              break
            }
            case 2: {
              obj.addr = Addr.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.addr
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.addr != null) {
          delete obj.getAddr
        }

        if (obj.getAddr != null) {
          delete obj.addr
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * GetAddr.codec().stream(reader, reader.uint32(), `${prefix}.getAddr`, {
                limits: opts.limits?.getAddr
              })

              break
            }
            case 2: {
              yield * Addr.codec().stream(reader, reader.uint32(), `${prefix}.addr`, {
                limits: opts.limits?.addr
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AddrRequestAddrAddrsPeerIdFieldEvent {
    field: '$.addr.addrs[].peerId'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AddrRequestAddrAddrsMultiaddrFieldEvent {
    field: '$.addr.addrs[].multiaddr'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AddrRequestAddrAddrsLastSeenFieldEvent {
    field: '$.addr.addrs[].lastSeen'
    value: number
    index: number
  }

  export function encode (obj: Partial<AddrRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AddrRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddrRequest>): AddrRequest {
    return decodeMessage(buf, AddrRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddrRequest>): Generator<AddrRequestAddrAddrsPeerIdFieldEvent | AddrRequestAddrAddrsMultiaddrFieldEvent | AddrRequestAddrAddrsLastSeenFieldEvent> {
    return streamMessage(buf, AddrRequest.codec(), opts)
  }
}
