import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface TxInput {
  prevTxid: Uint8Array<ArrayBuffer>
  outputIndex: number
  publicKey: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace TxInput {
  let _codec: Codec<TxInput>

  export const codec = (): Codec<TxInput> => {
    if (_codec == null) {
      _codec = message<TxInput>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.prevTxid != null && obj.prevTxid.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.prevTxid)
        }

        if ((obj.outputIndex != null && obj.outputIndex !== 0)) {
          w.uint32(16)
          w.uint32(obj.outputIndex)
        }

        if ((obj.publicKey != null && obj.publicKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.publicKey)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          prevTxid: uint8ArrayAlloc(0),
          outputIndex: 0,
          publicKey: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.prevTxid = reader.bytes()
              break
            }
            case 2: {
              obj.outputIndex = reader.uint32()
              break
            }
            case 3: {
              obj.publicKey = reader.bytes()
              break
            }
            case 4: {
              obj.signature = reader.bytes()
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
                field: `${prefix}.prevTxid`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.outputIndex`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.publicKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.signature`,
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

  export interface TxInputPrevTxidFieldEvent {
    field: '$.prevTxid'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TxInputOutputIndexFieldEvent {
    field: '$.outputIndex'
    value: number
  }

  export interface TxInputPublicKeyFieldEvent {
    field: '$.publicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface TxInputSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<TxInput>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TxInput.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxInput>): TxInput {
    return decodeMessage(buf, TxInput.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxInput>): Generator<TxInputPrevTxidFieldEvent | TxInputOutputIndexFieldEvent | TxInputPublicKeyFieldEvent | TxInputSignatureFieldEvent> {
    return streamMessage(buf, TxInput.codec(), opts)
  }
}

export interface TxOutput {
  amount: bigint
  address: Uint8Array<ArrayBuffer>
}

export namespace TxOutput {
  let _codec: Codec<TxOutput>

  export const codec = (): Codec<TxOutput> => {
    if (_codec == null) {
      _codec = message<TxOutput>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.amount != null && obj.amount !== 0n)) {
          w.uint32(9)
          w.fixed64(obj.amount)
        }

        if ((obj.address != null && obj.address.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.address)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          amount: 0n,
          address: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.amount = reader.fixed64()
              break
            }
            case 2: {
              obj.address = reader.bytes()
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
                field: `${prefix}.amount`,
                value: reader.fixed64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.address`,
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

  export interface TxOutputAmountFieldEvent {
    field: '$.amount'
    value: bigint
  }

  export interface TxOutputAddressFieldEvent {
    field: '$.address'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<TxOutput>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TxOutput.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxOutput>): TxOutput {
    return decodeMessage(buf, TxOutput.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TxOutput>): Generator<TxOutputAmountFieldEvent | TxOutputAddressFieldEvent> {
    return streamMessage(buf, TxOutput.codec(), opts)
  }
}

export interface Transaction {
  version: number
  inputs: TxInput[]
  outputs: TxOutput[]
  timestamp: number
  coinbaseHeight: number
}

export namespace Transaction {
  let _codec: Codec<Transaction>

  export const codec = (): Codec<Transaction> => {
    if (_codec == null) {
      _codec = message<Transaction>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if (obj.inputs != null && obj.inputs.length > 0) {
          for (const value of obj.inputs) {
            w.uint32(18)
            TxInput.codec().encode(value, w)
          }
        }

        if (obj.outputs != null && obj.outputs.length > 0) {
          for (const value of obj.outputs) {
            w.uint32(26)
            TxOutput.codec().encode(value, w)
          }
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.timestamp)
        }

        if ((obj.coinbaseHeight != null && obj.coinbaseHeight !== 0)) {
          w.uint32(40)
          w.uint32(obj.coinbaseHeight)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          inputs: [],
          outputs: [],
          timestamp: 0,
          coinbaseHeight: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              if (opts.limits?.inputs != null && obj.inputs.length === opts.limits.inputs) {
                throw new MaxLengthError('Decode error - repeated field "inputs" had too many elements')
              }

              obj.inputs.push(TxInput.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.inputs$
              }))
              break
            }
            case 3: {
              if (opts.limits?.outputs != null && obj.outputs.length === opts.limits.outputs) {
                throw new MaxLengthError('Decode error - repeated field "outputs" had too many elements')
              }

              obj.outputs.push(TxOutput.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.outputs$
              }))
              break
            }
            case 4: {
              obj.timestamp = reader.uint64Number()
              break
            }
            case 5: {
              obj.coinbaseHeight = reader.uint32()
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
          inputs: 0,
          outputs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              if (opts.limits?.inputs != null && obj.inputs === opts.limits.inputs) {
                throw new MaxLengthError('Streaming decode error - repeated field "inputs" had too many elements')
              }

              for (const evt of TxInput.codec().stream(reader, reader.uint32(), `${prefix}.inputs[]`, {
                limits: opts.limits?.inputs$
              })) {
                yield {
                  ...evt,
                  index: obj.inputs
                }
              }

              obj.inputs++

              break
            }
            case 3: {
              if (opts.limits?.outputs != null && obj.outputs === opts.limits.outputs) {
                throw new MaxLengthError('Streaming decode error - repeated field "outputs" had too many elements')
              }

              for (const evt of TxOutput.codec().stream(reader, reader.uint32(), `${prefix}.outputs[]`, {
                limits: opts.limits?.outputs$
              })) {
                yield {
                  ...evt,
                  index: obj.outputs
                }
              }

              obj.outputs++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.coinbaseHeight`,
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

  export interface TransactionVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface TransactionInputsPrevTxidFieldEvent {
    field: '$.inputs[].prevTxid'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface TransactionInputsOutputIndexFieldEvent {
    field: '$.inputs[].outputIndex'
    value: number
    index: number
  }

  export interface TransactionInputsPublicKeyFieldEvent {
    field: '$.inputs[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface TransactionInputsSignatureFieldEvent {
    field: '$.inputs[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface TransactionOutputsAmountFieldEvent {
    field: '$.outputs[].amount'
    value: bigint
    index: number
  }

  export interface TransactionOutputsAddressFieldEvent {
    field: '$.outputs[].address'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface TransactionTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export interface TransactionCoinbaseHeightFieldEvent {
    field: '$.coinbaseHeight'
    value: number
  }

  export function encode (obj: Partial<Transaction>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Transaction.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Transaction>): Transaction {
    return decodeMessage(buf, Transaction.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Transaction>): Generator<TransactionVersionFieldEvent | TransactionInputsPrevTxidFieldEvent | TransactionInputsOutputIndexFieldEvent | TransactionInputsPublicKeyFieldEvent | TransactionInputsSignatureFieldEvent | TransactionOutputsAmountFieldEvent | TransactionOutputsAddressFieldEvent | TransactionTimestampFieldEvent | TransactionCoinbaseHeightFieldEvent> {
    return streamMessage(buf, Transaction.codec(), opts)
  }
}

export interface BlockHeader {
  version: number
  height: number
  prevHash: Uint8Array<ArrayBuffer>
  merkleRoot: Uint8Array<ArrayBuffer>
  timestamp: number
  target: Uint8Array<ArrayBuffer>
  minerPublicKey: Uint8Array<ArrayBuffer>
  minerSignature: Uint8Array<ArrayBuffer>
  nonce: bigint
}

export namespace BlockHeader {
  let _codec: Codec<BlockHeader>

  export const codec = (): Codec<BlockHeader> => {
    if (_codec == null) {
      _codec = message<BlockHeader>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.version != null && obj.version !== 0)) {
          w.uint32(8)
          w.uint32(obj.version)
        }

        if ((obj.height != null && obj.height !== 0)) {
          w.uint32(16)
          w.uint32(obj.height)
        }

        if ((obj.prevHash != null && obj.prevHash.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.prevHash)
        }

        if ((obj.merkleRoot != null && obj.merkleRoot.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.merkleRoot)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.timestamp)
        }

        if ((obj.target != null && obj.target.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.target)
        }

        if ((obj.minerPublicKey != null && obj.minerPublicKey.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.minerPublicKey)
        }

        if ((obj.minerSignature != null && obj.minerSignature.byteLength > 0)) {
          w.uint32(66)
          w.bytes(obj.minerSignature)
        }

        if ((obj.nonce != null && obj.nonce !== 0n)) {
          w.uint32(73)
          w.fixed64(obj.nonce)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          version: 0,
          height: 0,
          prevHash: uint8ArrayAlloc(0),
          merkleRoot: uint8ArrayAlloc(0),
          timestamp: 0,
          target: uint8ArrayAlloc(0),
          minerPublicKey: uint8ArrayAlloc(0),
          minerSignature: uint8ArrayAlloc(0),
          nonce: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.version = reader.uint32()
              break
            }
            case 2: {
              obj.height = reader.uint32()
              break
            }
            case 3: {
              obj.prevHash = reader.bytes()
              break
            }
            case 4: {
              obj.merkleRoot = reader.bytes()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64Number()
              break
            }
            case 6: {
              obj.target = reader.bytes()
              break
            }
            case 7: {
              obj.minerPublicKey = reader.bytes()
              break
            }
            case 8: {
              obj.minerSignature = reader.bytes()
              break
            }
            case 9: {
              obj.nonce = reader.fixed64()
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
                field: `${prefix}.version`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.height`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.prevHash`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.merkleRoot`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.target`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.minerPublicKey`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.minerSignature`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.fixed64()
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

  export interface BlockHeaderVersionFieldEvent {
    field: '$.version'
    value: number
  }

  export interface BlockHeaderHeightFieldEvent {
    field: '$.height'
    value: number
  }

  export interface BlockHeaderPrevHashFieldEvent {
    field: '$.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMerkleRootFieldEvent {
    field: '$.merkleRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderTimestampFieldEvent {
    field: '$.timestamp'
    value: number
  }

  export interface BlockHeaderTargetFieldEvent {
    field: '$.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMinerPublicKeyFieldEvent {
    field: '$.minerPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMinerSignatureFieldEvent {
    field: '$.minerSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderNonceFieldEvent {
    field: '$.nonce'
    value: bigint
  }

  export function encode (obj: Partial<BlockHeader>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BlockHeader.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockHeader>): BlockHeader {
    return decodeMessage(buf, BlockHeader.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BlockHeader>): Generator<BlockHeaderVersionFieldEvent | BlockHeaderHeightFieldEvent | BlockHeaderPrevHashFieldEvent | BlockHeaderMerkleRootFieldEvent | BlockHeaderTimestampFieldEvent | BlockHeaderTargetFieldEvent | BlockHeaderMinerPublicKeyFieldEvent | BlockHeaderMinerSignatureFieldEvent | BlockHeaderNonceFieldEvent> {
    return streamMessage(buf, BlockHeader.codec(), opts)
  }
}

export interface Block {
  header?: BlockHeader
  transactions: Transaction[]
}

export namespace Block {
  let _codec: Codec<Block>

  export const codec = (): Codec<Block> => {
    if (_codec == null) {
      _codec = message<Block>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.header != null) {
          w.uint32(10)
          BlockHeader.codec().encode(obj.header, w)
        }

        if (obj.transactions != null && obj.transactions.length > 0) {
          for (const value of obj.transactions) {
            w.uint32(18)
            Transaction.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          transactions: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.header = BlockHeader.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.header
              })
              break
            }
            case 2: {
              if (opts.limits?.transactions != null && obj.transactions.length === opts.limits.transactions) {
                throw new MaxLengthError('Decode error - repeated field "transactions" had too many elements')
              }

              obj.transactions.push(Transaction.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.transactions$
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
          transactions: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * BlockHeader.codec().stream(reader, reader.uint32(), `${prefix}.header`, {
                limits: opts.limits?.header
              })

              break
            }
            case 2: {
              if (opts.limits?.transactions != null && obj.transactions === opts.limits.transactions) {
                throw new MaxLengthError('Streaming decode error - repeated field "transactions" had too many elements')
              }

              for (const evt of Transaction.codec().stream(reader, reader.uint32(), `${prefix}.transactions[]`, {
                limits: opts.limits?.transactions$
              })) {
                yield {
                  ...evt,
                  index: obj.transactions
                }
              }

              obj.transactions++

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

  export interface BlockHeaderVersionFieldEvent {
    field: '$.header.version'
    value: number
  }

  export interface BlockHeaderHeightFieldEvent {
    field: '$.header.height'
    value: number
  }

  export interface BlockHeaderPrevHashFieldEvent {
    field: '$.header.prevHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMerkleRootFieldEvent {
    field: '$.header.merkleRoot'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderTimestampFieldEvent {
    field: '$.header.timestamp'
    value: number
  }

  export interface BlockHeaderTargetFieldEvent {
    field: '$.header.target'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMinerPublicKeyFieldEvent {
    field: '$.header.minerPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderMinerSignatureFieldEvent {
    field: '$.header.minerSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BlockHeaderNonceFieldEvent {
    field: '$.header.nonce'
    value: bigint
  }

  export interface BlockTransactionsVersionFieldEvent {
    field: '$.transactions[].version'
    value: number
    index: number
  }

  export interface BlockTransactionsInputsPrevTxidFieldEvent {
    field: '$.transactions[].inputs[].prevTxid'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockTransactionsInputsOutputIndexFieldEvent {
    field: '$.transactions[].inputs[].outputIndex'
    value: number
    index: number
  }

  export interface BlockTransactionsInputsPublicKeyFieldEvent {
    field: '$.transactions[].inputs[].publicKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockTransactionsInputsSignatureFieldEvent {
    field: '$.transactions[].inputs[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockTransactionsOutputsAmountFieldEvent {
    field: '$.transactions[].outputs[].amount'
    value: bigint
    index: number
  }

  export interface BlockTransactionsOutputsAddressFieldEvent {
    field: '$.transactions[].outputs[].address'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BlockTransactionsTimestampFieldEvent {
    field: '$.transactions[].timestamp'
    value: number
    index: number
  }

  export interface BlockTransactionsCoinbaseHeightFieldEvent {
    field: '$.transactions[].coinbaseHeight'
    value: number
    index: number
  }

  export function encode (obj: Partial<Block>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Block.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Block>): Block {
    return decodeMessage(buf, Block.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Block>): Generator<BlockHeaderVersionFieldEvent | BlockHeaderHeightFieldEvent | BlockHeaderPrevHashFieldEvent | BlockHeaderMerkleRootFieldEvent | BlockHeaderTimestampFieldEvent | BlockHeaderTargetFieldEvent | BlockHeaderMinerPublicKeyFieldEvent | BlockHeaderMinerSignatureFieldEvent | BlockHeaderNonceFieldEvent | BlockTransactionsVersionFieldEvent | BlockTransactionsInputsPrevTxidFieldEvent | BlockTransactionsInputsOutputIndexFieldEvent | BlockTransactionsInputsPublicKeyFieldEvent | BlockTransactionsInputsSignatureFieldEvent | BlockTransactionsOutputsAmountFieldEvent | BlockTransactionsOutputsAddressFieldEvent | BlockTransactionsTimestampFieldEvent | BlockTransactionsCoinbaseHeightFieldEvent> {
    return streamMessage(buf, Block.codec(), opts)
  }
}
