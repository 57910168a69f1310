import { freeTcpPort, freeUdpPort } from '@switchyard/core/testing';

/** Every port one platform listens on (all on 127.0.0.1). */
export interface PlatformPorts {
  kamailioSip: number;
  kamailioRpc: number;
  /** One entry per fs-sim node: ESL (TCP) and SIP (UDP). */
  nodes: { esl: number; sip: number }[];
  engineHttp: number;
  engineOutbound: number;
  recorderMetrics: number;
  dialerOps: number;
  api: number;
}

/** `npm start`'s fixed defaults (documented in the final report / README). */
export const DEFAULT_PORTS: PlatformPorts = {
  kamailioSip: 5060,
  kamailioRpc: 5089,
  nodes: [
    { esl: 8021, sip: 5080 },
    { esl: 8022, sip: 5082 },
  ],
  engineHttp: 9102,
  engineOutbound: 8084,
  recorderMetrics: 9103,
  dialerOps: 9104,
  api: 8080,
};

/** Free loopback ports for a private platform (tests, drills). */
export async function freePlatformPorts(nodeCount = 2): Promise<PlatformPorts> {
  const nodes: { esl: number; sip: number }[] = [];
  for (let i = 0; i < nodeCount; i++) nodes.push({ esl: await freeTcpPort(), sip: await freeUdpPort() });
  return {
    kamailioSip: await freeUdpPort(),
    kamailioRpc: await freeTcpPort(),
    nodes,
    engineHttp: await freeTcpPort(),
    engineOutbound: await freeTcpPort(),
    recorderMetrics: await freeTcpPort(),
    dialerOps: await freeTcpPort(),
    api: await freeTcpPort(),
  };
}
