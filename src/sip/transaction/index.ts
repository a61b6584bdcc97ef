export { ClientTransaction, type ClientState, type ClientTransactionUser } from './client-transaction.ts';
export { ServerTransaction, type ServerState, type ServerTransactionEvents } from './server-transaction.ts';
export { TransactionLayer, type RequestMatch, type TransactionLayerDeps } from './transaction-layer.ts';
export { DEFAULT_TIMERS, MAGIC_COOKIE, isReliable, type TimerValues, type TxRequest, type TxResponse, type SendFn } from './transaction-types.ts';
