// Outbound requests: the address policy and the only functions that open connections. See README
// "Security: outbound requests".
export * from "./address-policy";
export * from "./outbound";
