// fluence-client with every client in a Web Worker (its `worker` config option), under
// js-client's API: page.html?worker's import map points "@fluencelabs/js-client" here,
// so the app runs unchanged with the network and AquaVM off the page's thread.
import * as base from "/pkg/index.js";

export * from "/pkg/index.js";

export const createClient = (relay, config) => base.createClient(relay, { ...config, worker: true });

export const Fluence = {
  get defaultClient() {
    return base.Fluence.defaultClient;
  },
  connect: (relay, config) => base.Fluence.connect(relay, { ...config, worker: true }),
  disconnect: () => base.Fluence.disconnect(),
  getClient: () => base.Fluence.getClient(),
  onConnectionStateChange: (handler) => base.Fluence.onConnectionStateChange(handler),
};
