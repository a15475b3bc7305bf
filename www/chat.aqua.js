/* eslint-disable */
// @ts-nocheck
/**
 *
 * This file is generated using:
 * @fluencelabs/aqua-api version: 0.13.0
 * @fluencelabs/aqua-to-js version: 0.3.13
 * If you find any bugs in generated AIR, please write an issue on GitHub: https://github.com/fluencelabs/aqua/issues
 * If you find any bugs in generated JS/TS, please write an issue on GitHub: https://github.com/fluencelabs/js-client/issues
 *
 */


// Making aliases to reduce chance of accidental name collision
import {
    v5_callFunction as callFunction$$,
    v5_registerService as registerService$$
} from '@fluencelabs/js-client';

// Services

export function registerChat(...args) {
    registerService$$(
        args,
        {
    "defaultServiceId": "secret-chat",
    "functions": {
        "fields": {
            "delivered": {
                "domain": {
                    "fields": {
                        "msgId": {
                            "name": "string",
                            "tag": "scalar"
                        },
                        "by": {
                            "name": "string",
                            "tag": "scalar"
                        }
                    },
                    "tag": "labeledProduct"
                },
                "codomain": {
                    "tag": "nil"
                },
                "tag": "arrow"
            },
            "receive": {
                "domain": {
                    "fields": {
                        "msgId": {
                            "name": "string",
                            "tag": "scalar"
                        },
                        "from": {
                            "name": "string",
                            "tag": "scalar"
                        },
                        "text": {
                            "name": "string",
                            "tag": "scalar"
                        }
                    },
                    "tag": "labeledProduct"
                },
                "codomain": {
                    "items": [
                        {
                            "name": "bool",
                            "tag": "scalar"
                        }
                    ],
                    "tag": "unlabeledProduct"
                },
                "tag": "arrow"
            }
        },
        "tag": "labeledProduct"
    }
}
    );
}


// Functions
export const sendMessage_script = `
(xor
 (seq
  (seq
   (seq
    (seq
     (seq
      (seq
       (call %init_peer_id% ("getDataSrv" "-relay-") [] -relay-)
       (call %init_peer_id% ("getDataSrv" "peer") [] -peer-arg-)
      )
      (call %init_peer_id% ("getDataSrv" "msgId") [] -msgId-arg-)
     )
     (call %init_peer_id% ("getDataSrv" "text") [] -text-arg-)
    )
    (xor
     (seq
      (seq
       (new $-hop-
        (new #-hopc-
         (canon -relay- $-hop-  #-hopc-)
        )
       )
       (call -peer-arg- ("secret-chat" "receive") [-msgId-arg- %init_peer_id% -text-arg-] ret)
      )
      (new $-hop-
       (new #-hopc-
        (canon -relay- $-hop-  #-hopc-)
       )
      )
     )
     (seq
      (seq
       (new $-hop-
        (new #-hopc-
         (canon -relay- $-hop-  #-hopc-)
        )
       )
       (new $-hop-
        (new #-hopc-
         (canon %init_peer_id% $-hop-  #-hopc-)
        )
       )
      )
      (fail :error:)
     )
    )
   )
   (call %init_peer_id% ("secret-chat" "delivered") [-msgId-arg- -peer-arg-])
  )
  (call %init_peer_id% ("callbackSrv" "response") [ret])
 )
 (call %init_peer_id% ("errorHandlingSrv" "error") [:error: 0])
)
`;


export function sendMessage(...args) {
    return callFunction$$(
        args,
        {
    "functionName": "sendMessage",
    "arrow": {
        "domain": {
            "fields": {
                "peer": {
                    "name": "string",
                    "tag": "scalar"
                },
                "msgId": {
                    "name": "string",
                    "tag": "scalar"
                },
                "text": {
                    "name": "string",
                    "tag": "scalar"
                }
            },
            "tag": "labeledProduct"
        },
        "codomain": {
            "items": [
                {
                    "name": "bool",
                    "tag": "scalar"
                }
            ],
            "tag": "unlabeledProduct"
        },
        "tag": "arrow"
    },
    "names": {
        "relay": "-relay-",
        "getDataSrv": "getDataSrv",
        "callbackSrv": "callbackSrv",
        "responseSrv": "callbackSrv",
        "responseFnName": "response",
        "errorHandlingSrv": "errorHandlingSrv",
        "errorFnName": "error"
    }
},
        sendMessage_script
    );
}
