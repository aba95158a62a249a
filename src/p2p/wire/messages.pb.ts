/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum InvType {
  INV_TYPE_UNSPECIFIED = 'INV_TYPE_UNSPECIFIED',
  TX = 'TX',
  BLOCK = 'BLOCK',
  COMPACT_BLOCK = 'COMPACT_BLOCK'
}

enum __InvTypeValues {
  INV_TYPE_UNSPECIFIED = 0,
  TX = 1,
  BLOCK = 2,
  COMPACT_BLOCK = 3
}

export namespace InvType {
  export const codec = (): Codec<InvType> => {
    return enumeration<InvType>(__InvTypeValues)
  }
}

export interface InvItem {
  type: InvType
  hash: Uint8Array<ArrayBuffer>
}

export namespace InvItem {
  let _codec: Codec<InvItem>

  export const codec = (): Codec<InvItem> => {
    if (_codec == null) {
      _codec = message<InvItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __InvTypeValues[obj.type] !== 0) {
          w.uint32(8)
          InvType.codec().encode(obj.type, w)
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: InvType.INV_TYPE_UNSPECIFIED,
          hash: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = InvType.codec().decode(reader)
              break
            }
            case 2: {
              obj.hash = reader.bytes()
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
                field: `${prefix}.type`,
                value: InvType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
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

  export interface InvItemTypeFieldEvent {
    field: '$.type'
    value: InvType
  }

  export interface InvItemHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<InvItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, InvItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InvItem>): InvItem {
    return decodeMessage(buf, InvItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<InvItem>): Generator<InvItemTypeFieldEvent | InvItemHashFieldEvent> {
    return streamMessage(buf, InvItem.codec(), opts)
  }
}

export interface Inv {
  items: InvItem[]
  nonce: Uint8Array<ArrayBuffer>
}

export namespace Inv {
  let _codec: Codec<Inv>

  export const codec = (): Codec<Inv> => {
    if (_codec == null) {
      _codec = message<Inv>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(10)
            InvItem.codec().encode(value, w)
          }
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          items: [],
          nonce: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(InvItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
              break
            }
            case 2: {
              obj.nonce = reader.bytes()
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
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of InvItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
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

  export interface InvItemsTypeFieldEvent {
    field: '$.items[].type'
    value: InvType
    index: number
  }

  export interface InvItemsHashFieldEvent {
    field: '$.items[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface InvNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Inv>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Inv.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Inv>): Inv {
    return decodeMessage(buf, Inv.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Inv>): Generator<InvItemsTypeFieldEvent | InvItemsHashFieldEvent | InvNonceFieldEvent> {
    return streamMessage(buf, Inv.codec(), opts)
  }
}

export interface GetData {
  requestId: number
  items: InvItem[]
}

export namespace GetData {
  let _codec: Codec<GetData>

  export const codec = (): Codec<GetData> => {
    if (_codec == null) {
      _codec = message<GetData>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId !== 0)) {
          w.uint32(8)
          w.uint32(obj.requestId)
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(18)
            InvItem.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: 0,
          items: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.uint32()
              break
            }
            case 2: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(InvItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
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
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of InvItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

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

  export interface GetDataRequestIdFieldEvent {
    field: '$.requestId'
    value: number
  }

  export interface GetDataItemsTypeFieldEvent {
    field: '$.items[].type'
    value: InvType
    index: number
  }

  export interface GetDataItemsHashFieldEvent {
    field: '$.items[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<GetData>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetData.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetData>): GetData {
    return decodeMessage(buf, GetData.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetData>): Generator<GetDataRequestIdFieldEvent | GetDataItemsTypeFieldEvent | GetDataItemsHashFieldEvent> {
    return streamMessage(buf, GetData.codec(), opts)
  }
}

export interface DataObject {
  type: InvType
  payload: Uint8Array<ArrayBuffer>
}

export namespace DataObject {
  let _codec: Codec<DataObject>

  export const codec = (): Codec<DataObject> => {
    if (_codec == null) {
      _codec = message<DataObject>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.type != null && __InvTypeValues[obj.type] !== 0) {
          w.uint32(8)
          InvType.codec().encode(obj.type, w)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          type: InvType.INV_TYPE_UNSPECIFIED,
          payload: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.type = InvType.codec().decode(reader)
              break
            }
            case 2: {
              obj.payload = reader.bytes()
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
                field: `${prefix}.type`,
                value: InvType.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
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

  export interface DataObjectTypeFieldEvent {
    field: '$.type'
    value: InvType
  }

  export interface DataObjectPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DataObject>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DataObject.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DataObject>): DataObject {
    return decodeMessage(buf, DataObject.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DataObject>): Generator<DataObjectTypeFieldEvent | DataObjectPayloadFieldEvent> {
    return streamMessage(buf, DataObject.codec(), opts)
  }
}

export interface Data {
  requestId: number
  objects: DataObject[]
  notFound: InvItem[]
  deferred: InvItem[]
}

export namespace Data {
  let _codec: Codec<Data>

  export const codec = (): Codec<Data> => {
    if (_codec == null) {
      _codec = message<Data>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.requestId != null && obj.requestId !== 0)) {
          w.uint32(8)
          w.uint32(obj.requestId)
        }

        if (obj.objects != null && obj.objects.length > 0) {
          for (const value of obj.objects) {
            w.uint32(18)
            DataObject.codec().encode(value, w)
          }
        }

        if (obj.notFound != null && obj.notFound.length > 0) {
          for (const value of obj.notFound) {
            w.uint32(26)
            InvItem.codec().encode(value, w)
          }
        }

        if (obj.deferred != null && obj.deferred.length > 0) {
          for (const value of obj.deferred) {
            w.uint32(34)
            InvItem.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          requestId: 0,
          objects: [],
          notFound: [],
          deferred: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.requestId = reader.uint32()
              break
            }
            case 2: {
              if (opts.limits?.objects != null && obj.objects.length === opts.limits.objects) {
                throw new MaxLengthError('Decode error - repeated field "objects" had too many elements')
              }

              obj.objects.push(DataObject.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.objects$
              }))
              break
            }
            case 3: {
              if (opts.limits?.notFound != null && obj.notFound.length === opts.limits.notFound) {
                throw new MaxLengthError('Decode error - repeated field "notFound" had too many elements')
              }

              obj.notFound.push(InvItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.notFound$
              }))
              break
            }
            case 4: {
              if (opts.limits?.deferred != null && obj.deferred.length === opts.limits.deferred) {
                throw new MaxLengthError('Decode error - repeated field "deferred" had too many elements')
              }

              obj.deferred.push(InvItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deferred$
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
          objects: 0,
          notFound: 0,
          deferred: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.requestId`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              if (opts.limits?.objects != null && obj.objects === opts.limits.objects) {
                throw new MaxLengthError('Streaming decode error - repeated field "objects" had too many elements')
              }

              for (const evt of DataObject.codec().stream(reader, reader.uint32(), `${prefix}.objects[]`, {
                limits: opts.limits?.objects$
              })) {
                yield {
                  ...evt,
                  index: obj.objects
                }
              }

              obj.objects++

              break
            }
            case 3: {
              if (opts.limits?.notFound != null && obj.notFound === opts.limits.notFound) {
                throw new MaxLengthError('Streaming decode error - repeated field "notFound" had too many elements')
              }

              for (const evt of InvItem.codec().stream(reader, reader.uint32(), `${prefix}.notFound[]`, {
                limits: opts.limits?.notFound$
              })) {
                yield {
                  ...evt,
                  index: obj.notFound
                }
              }

              obj.notFound++

              break
            }
            case 4: {
              if (opts.limits?.deferred != null && obj.deferred === opts.limits.deferred) {
                throw new MaxLengthError('Streaming decode error - repeated field "deferred" had too many elements')
              }

              for (const evt of InvItem.codec().stream(reader, reader.uint32(), `${prefix}.deferred[]`, {
                limits: opts.limits?.deferred$
              })) {
                yield {
                  ...evt,
                  index: obj.deferred
                }
              }

              obj.deferred++

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

  export interface DataRequestIdFieldEvent {
    field: '$.requestId'
    value: number
  }

  export interface DataObjectsTypeFieldEvent {
    field: '$.objects[].type'
    value: InvType
    index: number
  }

  export interface DataObjectsPayloadFieldEvent {
    field: '$.objects[].payload'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface DataNotFoundTypeFieldEvent {
    field: '$.notFound[].type'
    value: InvType
    index: number
  }

  export interface DataNotFoundHashFieldEvent {
    field: '$.notFound[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface DataDeferredTypeFieldEvent {
    field: '$.deferred[].type'
    value: InvType
    index: number
  }

  export interface DataDeferredHashFieldEvent {
    field: '$.deferred[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Data>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Data.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Data>): Data {
    return decodeMessage(buf, Data.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Data>): Generator<DataRequestIdFieldEvent | DataObjectsTypeFieldEvent | DataObjectsPayloadFieldEvent | DataNotFoundTypeFieldEvent | DataNotFoundHashFieldEvent | DataDeferredTypeFieldEvent | DataDeferredHashFieldEvent> {
    return streamMessage(buf, Data.codec(), opts)
  }
}

export enum PushMode {
  PUSH_MODE_UNSPECIFIED = 'PUSH_MODE_UNSPECIFIED',
  OWN = 'OWN',
  ALL = 'ALL'
}

enum __PushModeValues {
  PUSH_MODE_UNSPECIFIED = 0,
  OWN = 1,
  ALL = 2
}

export namespace PushMode {
  export const codec = (): Codec<PushMode> => {
    return enumeration<PushMode>(__PushModeValues)
  }
}

export interface PushSubscribe {
  mode: PushMode
  compactBlocks: boolean
}

export namespace PushSubscribe {
  let _codec: Codec<PushSubscribe>

  export const codec = (): Codec<PushSubscribe> => {
    if (_codec == null) {
      _codec = message<PushSubscribe>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.mode != null && __PushModeValues[obj.mode] !== 0) {
          w.uint32(8)
          PushMode.codec().encode(obj.mode, w)
        }

        if ((obj.compactBlocks != null && obj.compactBlocks !== false)) {
          w.uint32(16)
          w.bool(obj.compactBlocks)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          mode: PushMode.PUSH_MODE_UNSPECIFIED,
          compactBlocks: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.mode = PushMode.codec().decode(reader)
              break
            }
            case 2: {
              obj.compactBlocks = reader.bool()
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
                field: `${prefix}.mode`,
                value: PushMode.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.compactBlocks`,
                value: reader.bool()
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

  export interface PushSubscribeModeFieldEvent {
    field: '$.mode'
    value: PushMode
  }

  export interface PushSubscribeCompactBlocksFieldEvent {
    field: '$.compactBlocks'
    value: boolean
  }

  export function encode (obj: Partial<PushSubscribe>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PushSubscribe.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PushSubscribe>): PushSubscribe {
    return decodeMessage(buf, PushSubscribe.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PushSubscribe>): Generator<PushSubscribeModeFieldEvent | PushSubscribeCompactBlocksFieldEvent> {
    return streamMessage(buf, PushSubscribe.codec(), opts)
  }
}

export interface TxPush {
  txs: Uint8Array<ArrayBuffer>[]
  compactBlock: Uint8Array<ArrayBuffer>
}

export namespace TxPush {
  let _codec: Codec<TxPush>

  export const codec = (): Codec<TxPush> => {
    if (_codec == null) {
      _codec = message<TxPush>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.compactBlock != null && obj.compactBlock.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.compactBlock)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txs: [],
          compactBlock: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
              break
            }
            case 2: {
              obj.compactBlock = reader.bytes()
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
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.compactBlock`,
                value: reader.bytes()
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

  export interface TxPushTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface TxPushCompactBlockFieldEvent {
    field: '$.compactBlock'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<TxPush>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TxPush.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxPush>): TxPush {
    return decodeMessage(buf, TxPush.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxPush>): Generator<TxPushTxsFieldEvent | TxPushCompactBlockFieldEvent> {
    return streamMessage(buf, TxPush.codec(), opts)
  }
}

export interface CompactBlock {
  header: Uint8Array<ArrayBuffer>
  nonce: Uint8Array<ArrayBuffer>
  coinbase: Uint8Array<ArrayBuffer>
  shortIds: Uint8Array<ArrayBuffer>
}

export namespace CompactBlock {
  let _codec: Codec<CompactBlock>

  export const codec = (): Codec<CompactBlock> => {
    if (_codec == null) {
      _codec = message<CompactBlock>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.header != null && obj.header.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.header)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.nonce)
        }

        if ((obj.coinbase != null && obj.coinbase.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.coinbase)
        }

        if ((obj.shortIds != null && obj.shortIds.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.shortIds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          header: uint8ArrayAlloc(0),
          nonce: uint8ArrayAlloc(0),
          coinbase: uint8ArrayAlloc(0),
          shortIds: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.header = reader.bytes()
              break
            }
            case 2: {
              obj.nonce = reader.bytes()
              break
            }
            case 3: {
              obj.coinbase = reader.bytes()
              break
            }
            case 4: {
              obj.shortIds = reader.bytes()
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
                field: `${prefix}.header`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.coinbase`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.shortIds`,
                value: reader.bytes()
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

  export interface CompactBlockHeaderFieldEvent {
    field: '$.header'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CompactBlockNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CompactBlockCoinbaseFieldEvent {
    field: '$.coinbase'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CompactBlockShortIdsFieldEvent {
    field: '$.shortIds'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CompactBlock>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CompactBlock.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompactBlock>): CompactBlock {
    return decodeMessage(buf, CompactBlock.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompactBlock>): Generator<CompactBlockHeaderFieldEvent | CompactBlockNonceFieldEvent | CompactBlockCoinbaseFieldEvent | CompactBlockShortIdsFieldEvent> {
    return streamMessage(buf, CompactBlock.codec(), opts)
  }
}

export interface StatusRequest {}

export namespace StatusRequest {
  let _codec: Codec<StatusRequest>

  export const codec = (): Codec<StatusRequest> => {
    if (_codec == null) {
      _codec = message<StatusRequest>((obj, w, opts = {}) => {
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

  export function encode (obj: Partial<StatusRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StatusRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): StatusRequest {
    return decodeMessage(buf, StatusRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StatusRequest>): Generator<{}> {
    return streamMessage(buf, StatusRequest.codec(), opts)
  }
}

export interface GetBlocks {
  locator: Uint8Array<ArrayBuffer>[]
  max: number
}

export namespace GetBlocks {
  let _codec: Codec<GetBlocks>

  export const codec = (): Codec<GetBlocks> => {
    if (_codec == null) {
      _codec = message<GetBlocks>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.locator != null && obj.locator.length > 0) {
          for (const value of obj.locator) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.max != null && obj.max !== 0)) {
          w.uint32(16)
          w.uint32(obj.max)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          locator: [],
          max: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.locator != null && obj.locator.length === opts.limits.locator) {
                throw new MaxLengthError('Decode error - repeated field "locator" had too many elements')
              }

              obj.locator.push(reader.bytes())
              break
            }
            case 2: {
              obj.max = reader.uint32()
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
          locator: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.locator != null && obj.locator === opts.limits.locator) {
                throw new MaxLengthError('Streaming decode error - repeated field "locator" had too many elements')
              }

              yield {
                field: `${prefix}.locator[]`,
                index: obj.locator,
                value: reader.bytes()
              }

              obj.locator++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.max`,
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

  export interface GetBlocksLocatorFieldEvent {
    field: '$.locator[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetBlocksMaxFieldEvent {
    field: '$.max'
    value: number
  }

  export function encode (obj: Partial<GetBlocks>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetBlocks.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetBlocks>): GetBlocks {
    return decodeMessage(buf, GetBlocks.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetBlocks>): Generator<GetBlocksLocatorFieldEvent | GetBlocksMaxFieldEvent> {
    return streamMessage(buf, GetBlocks.codec(), opts)
  }
}

export interface GetMempool {
  maxAgeSeconds: number
}

export namespace GetMempool {
  let _codec: Codec<GetMempool>

  export const codec = (): Codec<GetMempool> => {
    if (_codec == null) {
      _codec = message<GetMempool>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.maxAgeSeconds != null && obj.maxAgeSeconds !== 0)) {
          w.uint32(8)
          w.uint32(obj.maxAgeSeconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          maxAgeSeconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.maxAgeSeconds = reader.uint32()
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
                field: `${prefix}.maxAgeSeconds`,
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

  export interface GetMempoolMaxAgeSecondsFieldEvent {
    field: '$.maxAgeSeconds'
    value: number
  }

  export function encode (obj: Partial<GetMempool>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetMempool.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetMempool>): GetMempool {
    return decodeMessage(buf, GetMempool.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetMempool>): Generator<GetMempoolMaxAgeSecondsFieldEvent> {
    return streamMessage(buf, GetMempool.codec(), opts)
  }
}

export interface GetHeaders {
  locator: Uint8Array<ArrayBuffer>[]
  max: number
}

export namespace GetHeaders {
  let _codec: Codec<GetHeaders>

  export const codec = (): Codec<GetHeaders> => {
    if (_codec == null) {
      _codec = message<GetHeaders>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.locator != null && obj.locator.length > 0) {
          for (const value of obj.locator) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if ((obj.max != null && obj.max !== 0)) {
          w.uint32(16)
          w.uint32(obj.max)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          locator: [],
          max: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.locator != null && obj.locator.length === opts.limits.locator) {
                throw new MaxLengthError('Decode error - repeated field "locator" had too many elements')
              }

              obj.locator.push(reader.bytes())
              break
            }
            case 2: {
              obj.max = reader.uint32()
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
          locator: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.locator != null && obj.locator === opts.limits.locator) {
                throw new MaxLengthError('Streaming decode error - repeated field "locator" had too many elements')
              }

              yield {
                field: `${prefix}.locator[]`,
                index: obj.locator,
                value: reader.bytes()
              }

              obj.locator++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.max`,
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

  export interface GetHeadersLocatorFieldEvent {
    field: '$.locator[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetHeadersMaxFieldEvent {
    field: '$.max'
    value: number
  }

  export function encode (obj: Partial<GetHeaders>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetHeaders.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetHeaders>): GetHeaders {
    return decodeMessage(buf, GetHeaders.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetHeaders>): Generator<GetHeadersLocatorFieldEvent | GetHeadersMaxFieldEvent> {
    return streamMessage(buf, GetHeaders.codec(), opts)
  }
}

export interface SyncRequest {
  status?: StatusRequest
  getBlocks?: GetBlocks
  getMempool?: GetMempool
  getHeaders?: GetHeaders
  getBlockTxn?: GetBlockTxn
}

export namespace SyncRequest {
  let _codec: Codec<SyncRequest>

  export const codec = (): Codec<SyncRequest> => {
    if (_codec == null) {
      _codec = message<SyncRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        obj = { ...obj }

        if (obj.getBlockTxn != null) {
          obj.getHeaders = undefined
          obj.getMempool = undefined
          obj.getBlocks = undefined
          obj.status = undefined
        }

        if (obj.getHeaders != null) {
          obj.getBlockTxn = undefined
          obj.getMempool = undefined
          obj.getBlocks = undefined
          obj.status = undefined
        }

        if (obj.getMempool != null) {
          obj.getBlockTxn = undefined
          obj.getHeaders = undefined
          obj.getBlocks = undefined
          obj.status = undefined
        }

        if (obj.getBlocks != null) {
          obj.getBlockTxn = undefined
          obj.getHeaders = undefined
          obj.getMempool = undefined
          obj.status = undefined
        }

        if (obj.status != null) {
          obj.getBlockTxn = undefined
          obj.getHeaders = undefined
          obj.getMempool = undefined
          obj.getBlocks = undefined
        }

        if (obj.status != null) {
          w.uint32(10)
          StatusRequest.codec().encode(obj.status, w)
        }

        if (obj.getBlocks != null) {
          w.uint32(18)
          GetBlocks.codec().encode(obj.getBlocks, w)
        }

        if (obj.getMempool != null) {
          w.uint32(26)
          GetMempool.codec().encode(obj.getMempool, w)
        }

        if (obj.getHeaders != null) {
          w.uint32(34)
          GetHeaders.codec().encode(obj.getHeaders, w)
        }

        if (obj.getBlockTxn != null) {
          w.uint32(42)
          GetBlockTxn.codec().encode(obj.getBlockTxn, w)
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
              obj.status = StatusRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.status
              })
              break
            }
            case 2: {
              obj.getBlocks = GetBlocks.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getBlocks
              })
              break
            }
            case 3: {
              obj.getMempool = GetMempool.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getMempool
              })
              break
            }
            case 4: {
              obj.getHeaders = GetHeaders.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getHeaders
              })
              break
            }
            case 5: {
              obj.getBlockTxn = GetBlockTxn.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getBlockTxn
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        if (obj.getBlockTxn != null) {
          delete obj.getHeaders
          delete obj.getMempool
          delete obj.getBlocks
          delete obj.status
        }

        if (obj.getHeaders != null) {
          delete obj.getBlockTxn
          delete obj.getMempool
          delete obj.getBlocks
          delete obj.status
        }

        if (obj.getMempool != null) {
          delete obj.getBlockTxn
          delete obj.getHeaders
          delete obj.getBlocks
          delete obj.status
        }

        if (obj.getBlocks != null) {
          delete obj.getBlockTxn
          delete obj.getHeaders
          delete obj.getMempool
          delete obj.status
        }

        if (obj.status != null) {
          delete obj.getBlockTxn
          delete obj.getHeaders
          delete obj.getMempool
          delete obj.getBlocks
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * StatusRequest.codec().stream(reader, reader.uint32(), `${prefix}.status`, {
                limits: opts.limits?.status
              })

              break
            }
            case 2: {
              yield * GetBlocks.codec().stream(reader, reader.uint32(), `${prefix}.getBlocks`, {
                limits: opts.limits?.getBlocks
              })

              break
            }
            case 3: {
              yield * GetMempool.codec().stream(reader, reader.uint32(), `${prefix}.getMempool`, {
                limits: opts.limits?.getMempool
              })

              break
            }
            case 4: {
              yield * GetHeaders.codec().stream(reader, reader.uint32(), `${prefix}.getHeaders`, {
                limits: opts.limits?.getHeaders
              })

              break
            }
            case 5: {
              yield * GetBlockTxn.codec().stream(reader, reader.uint32(), `${prefix}.getBlockTxn`, {
                limits: opts.limits?.getBlockTxn
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

  export interface SyncRequestGetBlocksLocatorFieldEvent {
    field: '$.getBlocks.locator[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestGetBlocksMaxFieldEvent {
    field: '$.getBlocks.max'
    value: number
  }

  export interface SyncRequestGetMempoolMaxAgeSecondsFieldEvent {
    field: '$.getMempool.maxAgeSeconds'
    value: number
  }

  export interface SyncRequestGetHeadersLocatorFieldEvent {
    field: '$.getHeaders.locator[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestGetHeadersMaxFieldEvent {
    field: '$.getHeaders.max'
    value: number
  }

  export interface SyncRequestGetBlockTxnBlockIdFieldEvent {
    field: '$.getBlockTxn.blockId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SyncRequestGetBlockTxnIndexesFieldEvent {
    field: '$.getBlockTxn.indexes[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<SyncRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SyncRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): SyncRequest {
    return decodeMessage(buf, SyncRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SyncRequest>): Generator<SyncRequestGetBlocksLocatorFieldEvent | SyncRequestGetBlocksMaxFieldEvent | SyncRequestGetMempoolMaxAgeSecondsFieldEvent | SyncRequestGetHeadersLocatorFieldEvent | SyncRequestGetHeadersMaxFieldEvent | SyncRequestGetBlockTxnBlockIdFieldEvent | SyncRequestGetBlockTxnIndexesFieldEvent> {
    return streamMessage(buf, SyncRequest.codec(), opts)
  }
}

export interface GetBlockTxn {
  blockId: Uint8Array<ArrayBuffer>
  indexes: number[]
}

export namespace GetBlockTxn {
  let _codec: Codec<GetBlockTxn>

  export const codec = (): Codec<GetBlockTxn> => {
    if (_codec == null) {
      _codec = message<GetBlockTxn>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.blockId != null && obj.blockId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.blockId)
        }

        if (obj.indexes != null && obj.indexes.length > 0) {
          for (const value of obj.indexes) {
            w.uint32(16)
            w.uint32(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          blockId: uint8ArrayAlloc(0),
          indexes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.blockId = reader.bytes()
              break
            }
            case 2: {
              if (opts.limits?.indexes != null && obj.indexes.length === opts.limits.indexes) {
                throw new MaxLengthError('Decode error - repeated field "indexes" had too many elements')
              }

              obj.indexes.push(reader.uint32())
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
          indexes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.blockId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              if (opts.limits?.indexes != null && obj.indexes === opts.limits.indexes) {
                throw new MaxLengthError('Streaming decode error - repeated field "indexes" had too many elements')
              }

              yield {
                field: `${prefix}.indexes[]`,
                index: obj.indexes,
                value: reader.uint32()
              }

              obj.indexes++

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

  export interface GetBlockTxnBlockIdFieldEvent {
    field: '$.blockId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetBlockTxnIndexesFieldEvent {
    field: '$.indexes[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<GetBlockTxn>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetBlockTxn.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetBlockTxn>): GetBlockTxn {
    return decodeMessage(buf, GetBlockTxn.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetBlockTxn>): Generator<GetBlockTxnBlockIdFieldEvent | GetBlockTxnIndexesFieldEvent> {
    return streamMessage(buf, GetBlockTxn.codec(), opts)
  }
}

export interface Status {
  genesis: Uint8Array<ArrayBuffer>
  tip: Uint8Array<ArrayBuffer>
  height: number
  cumulativeWork: Uint8Array<ArrayBuffer>
}

export namespace Status {
  let _codec: Codec<Status>

  export const codec = (): Codec<Status> => {
    if (_codec == null) {
      _codec = message<Status>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.genesis != null && obj.genesis.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.genesis)
        }

        if ((obj.tip != null && obj.tip.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.tip)
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(24)
          w.uint32(obj.height)
        }

        if ((obj.cumulativeWork != null && obj.cumulativeWork.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.cumulativeWork)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          genesis: uint8ArrayAlloc(0),
          tip: uint8ArrayAlloc(0),
          height: 0,
          cumulativeWork: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.genesis = reader.bytes()
              break
            }
            case 2: {
              obj.tip = reader.bytes()
              break
            }
            case 3: {
              obj.height = reader.uint32()
              break
            }
            case 4: {
              obj.cumulativeWork = reader.bytes()
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
                field: `${prefix}.genesis`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.tip`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.cumulativeWork`,
                value: reader.bytes()
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

  export interface StatusGenesisFieldEvent {
    field: '$.genesis'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusTipFieldEvent {
    field: '$.tip'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StatusHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface StatusCumulativeWorkFieldEvent {
    field: '$.cumulativeWork'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Status>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Status.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status>): Status {
    return decodeMessage(buf, Status.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Status>): Generator<StatusGenesisFieldEvent | StatusTipFieldEvent | StatusHeightFieldEvent | StatusCumulativeWorkFieldEvent> {
    return streamMessage(buf, Status.codec(), opts)
  }
}

export interface BlockIds {
  ids: Uint8Array<ArrayBuffer>[]
}

export namespace BlockIds {
  let _codec: Codec<BlockIds>

  export const codec = (): Codec<BlockIds> => {
    if (_codec == null) {
      _codec = message<BlockIds>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.ids != null && obj.ids.length > 0) {
          for (const value of obj.ids) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          ids: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids.length === opts.limits.ids) {
                throw new MaxLengthError('Decode error - repeated field "ids" had too many elements')
              }

              obj.ids.push(reader.bytes())
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
          ids: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.ids != null && obj.ids === opts.limits.ids) {
                throw new MaxLengthError('Streaming decode error - repeated field "ids" had too many elements')
              }

              yield {
                field: `${prefix}.ids[]`,
                index: obj.ids,
                value: reader.bytes()
              }

              obj.ids++

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

  export interface BlockIdsIdsFieldEvent {
    field: '$.ids[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BlockIds>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlockIds.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockIds>): BlockIds {
    return decodeMessage(buf, BlockIds.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockIds>): Generator<BlockIdsIdsFieldEvent> {
    return streamMessage(buf, BlockIds.codec(), opts)
  }
}

export interface Headers {
  headers: Uint8Array<ArrayBuffer>[]
}

export namespace Headers {
  let _codec: Codec<Headers>

  export const codec = (): Codec<Headers> => {
    if (_codec == null) {
      _codec = message<Headers>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.headers != null && obj.headers.length > 0) {
          for (const value of obj.headers) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          headers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.headers != null && obj.headers.length === opts.limits.headers) {
                throw new MaxLengthError('Decode error - repeated field "headers" had too many elements')
              }

              obj.headers.push(reader.bytes())
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
          headers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.headers != null && obj.headers === opts.limits.headers) {
                throw new MaxLengthError('Streaming decode error - repeated field "headers" had too many elements')
              }

              yield {
                field: `${prefix}.headers[]`,
                index: obj.headers,
                value: reader.bytes()
              }

              obj.headers++

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

  export interface HeadersHeadersFieldEvent {
    field: '$.headers[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Headers>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Headers.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Headers>): Headers {
    return decodeMessage(buf, Headers.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Headers>): Generator<HeadersHeadersFieldEvent> {
    return streamMessage(buf, Headers.codec(), opts)
  }
}

export interface BlockTxn {
  txs: Uint8Array<ArrayBuffer>[]
}

export namespace BlockTxn {
  let _codec: Codec<BlockTxn>

  export const codec = (): Codec<BlockTxn> => {
    if (_codec == null) {
      _codec = message<BlockTxn>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.txs != null && obj.txs.length > 0) {
          for (const value of obj.txs) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          txs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs.length === opts.limits.txs) {
                throw new MaxLengthError('Decode error - repeated field "txs" had too many elements')
              }

              obj.txs.push(reader.bytes())
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
          txs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.txs != null && obj.txs === opts.limits.txs) {
                throw new MaxLengthError('Streaming decode error - repeated field "txs" had too many elements')
              }

              yield {
                field: `${prefix}.txs[]`,
                index: obj.txs,
                value: reader.bytes()
              }

              obj.txs++

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

  export interface BlockTxnTxsFieldEvent {
    field: '$.txs[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BlockTxn>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlockTxn.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockTxn>): BlockTxn {
    return decodeMessage(buf, BlockTxn.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockTxn>): Generator<BlockTxnTxsFieldEvent> {
    return streamMessage(buf, BlockTxn.codec(), opts)
  }
}
