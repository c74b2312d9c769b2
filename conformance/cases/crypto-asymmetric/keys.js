// Fixed test keys and signatures, made once with Node.js (OpenSSL):
//   const { publicKey, privateKey } = crypto.generateKeyPairSync(type, options);
//     ("ec" {namedCurve: "P-256"} and {namedCurve: "P-384"}, "ed25519",
//      "rsa" {modulusLength: 2048, publicExponent: 65537})
//   spki: publicKey.export({type: "spki", format: "der"}) in base64; pkcs8 likewise;
//   jwk: privateKey.export({format: "jwk"});
//   sig.es256: crypto.sign("sha256", message, {key: p256 private, dsaEncoding: "ieee-p1363"}),
//   es384 and es256sha512 likewise; ed25519: crypto.sign(null, message, key);
//   rs256/rs1: crypto.sign("sha256"/"sha1", message, rsa private);
//   ps256: RSA_PKCS1_PSS_PADDING with saltLength 32; ps384salt0: SHA-384, saltLength 0.
export default {
  "p256": {
    "spki": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEwOyJUYeZ5YcvxMZtGbN/T9yv/vri3achXTyd6DOj5kABQ5ZgfKHbhHROCVpaxjiE8RMCUE+u4111Irp9RUL1Zg==",
    "pkcs8": "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxQ+cIHbRfLqySekiyqpnvMNN7z0rRDcAayBJLXN2aEKhRANCAATA7IlRh5nlhy/Exm0Zs39P3K/++uLdpyFdPJ3oM6PmQAFDlmB8oduEdE4JWlrGOITxEwJQT67jXXUiun1FQvVm",
    "jwk": {
      "kty": "EC",
      "x": "wOyJUYeZ5YcvxMZtGbN_T9yv_vri3achXTyd6DOj5kA",
      "y": "AUOWYHyh24R0TglaWsY4hPETAlBPruNddSK6fUVC9WY",
      "crv": "P-256",
      "d": "xQ-cIHbRfLqySekiyqpnvMNN7z0rRDcAayBJLXN2aEI"
    }
  },
  "p384": {
    "spki": "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEJDBe5X9PqedYhjUH/KHrJQKxdkk3UyoqEyODmut/8sQuP8+si08HTjqYEqzyYAqs8I9zz7Jjp33/6gABh8Uj8gTLL5Lpi0HoSTdKn9dqDLIPxLJvfE5AXOoXcTG8GdaI",
    "pkcs8": "MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDBYWYA+00RCWUO45JsCDuYbHFsuAnFOqkKhV3mhykCQKEuTMoQLExpHTFzBJ0hXLzGhZANiAAQkMF7lf0+p51iGNQf8oeslArF2STdTKioTI4Oa63/yxC4/z6yLTwdOOpgSrPJgCqzwj3PPsmOnff/qAAGHxSPyBMsvkumLQehJN0qf12oMsg/Esm98TkBc6hdxMbwZ1og=",
    "jwk": {
      "kty": "EC",
      "x": "JDBe5X9PqedYhjUH_KHrJQKxdkk3UyoqEyODmut_8sQuP8-si08HTjqYEqzyYAqs",
      "y": "8I9zz7Jjp33_6gABh8Uj8gTLL5Lpi0HoSTdKn9dqDLIPxLJvfE5AXOoXcTG8GdaI",
      "crv": "P-384",
      "d": "WFmAPtNEQllDuOSbAg7mGxxbLgJxTqpCoVd5ocpAkChLkzKECxMaR0xcwSdIVy8x"
    }
  },
  "ed25519": {
    "spki": "MCowBQYDK2VwAyEAzC5jOaFcXC4hP+zWANYWe517KrL7zRmULZ95B/PE7G4=",
    "pkcs8": "MC4CAQAwBQYDK2VwBCIEIFvU/WIE79SwoTfwFk9ol5jBoKsiCLrcQuk6WA90Gkqc",
    "jwk": {
      "crv": "Ed25519",
      "d": "W9T9YgTv1LChN_AWT2iXmMGgqyIIutxC6TpYD3QaSpw",
      "x": "zC5jOaFcXC4hP-zWANYWe517KrL7zRmULZ95B_PE7G4",
      "kty": "OKP"
    }
  },
  "rsa": {
    "spki": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAogQeIAwI0CVWyC0+NTC49Z2Uj2pdDtx7KlCt4ht7PzIS52ZYhDws7w9eY8FZbFuQnPViUy1j6LxnDv5TnYDdGSF0GAIgcczpOsUvv6G7qTT0fFhklWZSSi9ogs2GwtkE3t13hc3QTAZKUSHPaLpFPdd1wK53jh0YNXNhoozpUXFojDgDBMBUpU4cq6UPQL5Q7KrVzsuerkDsXTq+HNGZ//eQt+49518QxzpRM99hCCp+4wqqsTFgbVEP+y54PZXWitYAYSsN4klSxgXG3AHjyxNj8FtxAJGjuv8lA6Abf7Q6XsGsn1g3FBKScTLUGd1QGEJ4xEOuC47WolRuQU3XYwIDAQAB",
    "pkcs8": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCiBB4gDAjQJVbILT41MLj1nZSPal0O3HsqUK3iG3s/MhLnZliEPCzvD15jwVlsW5Cc9WJTLWPovGcO/lOdgN0ZIXQYAiBxzOk6xS+/obupNPR8WGSVZlJKL2iCzYbC2QTe3XeFzdBMBkpRIc9oukU913XArneOHRg1c2GijOlRcWiMOAMEwFSlThyrpQ9AvlDsqtXOy56uQOxdOr4c0Zn/95C37j3nXxDHOlEz32EIKn7jCqqxMWBtUQ/7Lng9ldaK1gBhKw3iSVLGBcbcAePLE2PwW3EAkaO6/yUDoBt/tDpewayfWDcUEpJxMtQZ3VAYQnjEQ64LjtaiVG5BTddjAgMBAAECggEADB3Ht6N+wzuPoQ/KdQWMR4i93qMt4MR6DODqEsdLBnUIYeLPCttJ4aT3bPloO8jLPgRskoY0pb1KmHNKWInrFGE37UBiIcXuc/U24XDHIoaHJDIjb42D6PALs6s1gVE5N9uTKoqzoa6KFJrf3S1VAU924G6LxVvaqXX+tBPasmWXal+cQkBQtu/eupcPz//kd5pGWzul2T3/MsO2QjmIQ/4iOUFC5CpunHrxd5UOOH5SEfEiMc5rcIT/C4RszMkHiRzGqjvmQEtI8vPiYa0LinBnD1ogppvighaqxauAulbSH25To8vUuif1dfLomFOR0jz0KRmVKJtuQum3V9N89QKBgQDeVGUwfH1/8YLHgom+VlL84j64aXoZvbU7xhsl3ajg+8atvjt68gaPtUGhyVdFlVOpK+g3C4zWgl0SG391MHF/gi4G1A450cdw5aiV+/wC742+wW6T4k4CaYqSieoBuWBeJKxJjztzBu09/l3FnWBjJMxj9IsixpiYW4/TJA+VPwKBgQC6jWV3gcw66rHjBG7buGMjYu0hku8/lKaVfEWcKt51FjUtANihk7KZcy6Q1Sv4gt9WMYoXWvzk/zj/ATfsOTV9g1V8OkTAjeO1sViaZh/7tusz3nx1lv9mVOtvNaoIF/Sms5rhd8B2DTJxXTKKrJFthcawoqzSXYGomFa/Z6YA3QKBgQDDnv5p6x+Bs76eTP1lvA7I80i8ehI1E/ai4WyBpMczLlViCj/LraiYSaO19rITR5CVCU0JIeCJ3aqGhCthsX4r8x8MYwkhVrNlYq0zSsQy0RSnAwuIk1aQSMzkovSDD9j6/Mma76wfSbj1ExrvBcoJchdk24aQ0qzxYZ7q6I/NgQKBgCngCXG9AhILkqip2xSZHC/aSe5qZCf6fzY48gsvGEZiGMekU/xZAhMt5rr+DuO2xNk9P4kklHX20F11cY8l/FrTO0Iqdjpe30luqLvnxrAjDELVY0yl+2iGEV8iRauRbQpqcI7B6cLWDYei6vBz8iUKjWIi8fY6pRsqLvbCFmJFAoGAFz8IaXWQ5Cs953lORS6TetAV0BXf5whWf64q9w+oVqnQVEIUNqITxZ73Nek3+s2tRC98/b01nX/V0S6388Hd7Eh5VgJOnhkWA8DFy0rT6r3p1nYcBjiUyIja55cQZuctwRKeWiXMio+bqe4K48HPMWhGLoijwmRQIJQKawmR2YE=",
    "jwk": {
      "kty": "RSA",
      "n": "ogQeIAwI0CVWyC0-NTC49Z2Uj2pdDtx7KlCt4ht7PzIS52ZYhDws7w9eY8FZbFuQnPViUy1j6LxnDv5TnYDdGSF0GAIgcczpOsUvv6G7qTT0fFhklWZSSi9ogs2GwtkE3t13hc3QTAZKUSHPaLpFPdd1wK53jh0YNXNhoozpUXFojDgDBMBUpU4cq6UPQL5Q7KrVzsuerkDsXTq-HNGZ__eQt-49518QxzpRM99hCCp-4wqqsTFgbVEP-y54PZXWitYAYSsN4klSxgXG3AHjyxNj8FtxAJGjuv8lA6Abf7Q6XsGsn1g3FBKScTLUGd1QGEJ4xEOuC47WolRuQU3XYw",
      "e": "AQAB",
      "d": "DB3Ht6N-wzuPoQ_KdQWMR4i93qMt4MR6DODqEsdLBnUIYeLPCttJ4aT3bPloO8jLPgRskoY0pb1KmHNKWInrFGE37UBiIcXuc_U24XDHIoaHJDIjb42D6PALs6s1gVE5N9uTKoqzoa6KFJrf3S1VAU924G6LxVvaqXX-tBPasmWXal-cQkBQtu_eupcPz__kd5pGWzul2T3_MsO2QjmIQ_4iOUFC5CpunHrxd5UOOH5SEfEiMc5rcIT_C4RszMkHiRzGqjvmQEtI8vPiYa0LinBnD1ogppvighaqxauAulbSH25To8vUuif1dfLomFOR0jz0KRmVKJtuQum3V9N89Q",
      "p": "3lRlMHx9f_GCx4KJvlZS_OI-uGl6Gb21O8YbJd2o4PvGrb47evIGj7VBoclXRZVTqSvoNwuM1oJdEht_dTBxf4IuBtQOOdHHcOWolfv8Au-NvsFuk-JOAmmKkonqAblgXiSsSY87cwbtPf5dxZ1gYyTMY_SLIsaYmFuP0yQPlT8",
      "q": "uo1ld4HMOuqx4wRu27hjI2LtIZLvP5SmlXxFnCredRY1LQDYoZOymXMukNUr-ILfVjGKF1r85P84_wE37Dk1fYNVfDpEwI3jtbFYmmYf-7brM958dZb_ZlTrbzWqCBf0prOa4XfAdg0ycV0yiqyRbYXGsKKs0l2BqJhWv2emAN0",
      "dp": "w57-aesfgbO-nkz9ZbwOyPNIvHoSNRP2ouFsgaTHMy5VYgo_y62omEmjtfayE0eQlQlNCSHgid2qhoQrYbF-K_MfDGMJIVazZWKtM0rEMtEUpwMLiJNWkEjM5KL0gw_Y-vzJmu-sH0m49RMa7wXKCXIXZNuGkNKs8WGe6uiPzYE",
      "dq": "KeAJcb0CEguSqKnbFJkcL9pJ7mpkJ_p_NjjyCy8YRmIYx6RT_FkCEy3muv4O47bE2T0_iSSUdfbQXXVxjyX8WtM7Qip2Ol7fSW6ou-fGsCMMQtVjTKX7aIYRXyJFq5FtCmpwjsHpwtYNh6Lq8HPyJQqNYiLx9jqlGyou9sIWYkU",
      "qi": "Fz8IaXWQ5Cs953lORS6TetAV0BXf5whWf64q9w-oVqnQVEIUNqITxZ73Nek3-s2tRC98_b01nX_V0S6388Hd7Eh5VgJOnhkWA8DFy0rT6r3p1nYcBjiUyIja55cQZuctwRKeWiXMio-bqe4K48HPMWhGLoijwmRQIJQKawmR2YE"
    }
  },
  "message": "loaderd asymmetric test message",
  "sig": {
    "es256": "tLhdIzPe1HGGMcpqnQ9JUnaoj/J56dCwsWrOfIUhUS6kM39LJW3KWLS6apirZAC9ZSL1T8NttEqAp9FMomLGlQ==",
    "es384": "jOZOOiDuAyx84q4WwXWisXCHcVF9BYm8wL1dZ8NRAlOijEE2cnOQlUkHrtSbieE2VlATsZlyFRwwoPkK8JD1v+I6g5Dmv2MUBZRqd9CXY1IeMe0TP/syfkCYsiNOqtPc",
    "es256sha512": "1QTtRwdjTn9s5OmAbNO7oIQ7GgN1DBtpSNnUsyzg1mupYjL6AO7HQAXYOnFeCFhhtS575XfK5mR/tKK3mdDSpQ==",
    "ed25519": "2dmmcYJXuHfnaxpv6HOIR3za4CUUgY6R9OpquOmysTnwaA7iBTYqP4EL7IsJx22DJ+3oTTwL/x1v99l2JgBiBQ==",
    "rs256": "lr4ddsChn6ncolu4w2+Hh5VpzZo8z58CI8u++c2AJFfxbiFb3uEGRAPV8oVZIojcGMZcHtnQNcKlQEtKrpu4Att1qOl7+JmHkVW9Lt+GXeeIKsXo5w3yza2R4KTBLvunbdh/ZCDG5cj0XkEmrrTJpBILd4EtfsW1MM96392NUt/g6pZmLP+omlsJft3h+S+03fZiH+SIMvCeG0jmuhABcOLC+NpfWt6fDgPfJmGuTPvzJfQPiK9OTOTMHpyPa2onNT6uhvVutbJa8+71//s6Zm63QEjZ1suF2gvPqx4Y7v1df59Sfa8KO701kMYzkkBQj+Dgm0rjZL757PJdUTsFvw==",
    "rs1": "kFo3DbcZyUoLpadwZpaDhFrP8blx79LyQvTwj/trRP/XGiMZDFiUdoUI1Q/CN7ONKaqlq4FF3NCq0QO1clJcbn8zWfYK3Rk49rzgjg4gYAUO2g8HZa0SfwW7hBHppQ47U/ymD4JfWkPKiyOXfhFnphZjOl6u6Ij8vlg/3LnVUJvDYpEZ6Bcey0EZNf3rj4CglyHFXx3VxUnJz5I6ivmmD9bfrt+f0CepocawInJBQ+MsOipWJJouTyjmCGP2nRCC00bzqLsb+kYBCdJou662XaF8YFNJvjWvvE0coghXwZJinqcMDNRp6LtV+K5gi64ynSs8Drj0WvAq7587UH9RoA==",
    "ps256": "huHVb4xuvSnHy2XDsgVtCz24B9ZWFfAZKY0Fsz5yI869V7SAYYFq/Wk5gg2ApWV7774HM1ymhLZ+kuAoWAg+6VQENBBq4cMYNFvUi+eQqY6Us1lBgXvs6I8v4L64pDln4xZcH6eVstfXa56a6Hk5tAcyFn6MVF1JVwnMbjsSy7uKILm5sQQKzGFmTdvquQ3VUXqQmNwpTlPOr9qWZe3kLnnabMJ17JbxTQkvcskqptugbviYI5syBwlvapxBgm48rHqmaAjCq40Q4gmfJAtWg9yGp8kbw7JhbSZLAHX1RvqU/YB5mP1shlQo2EcvE/u8sWGGnn7cCosVP9OwVGxZoA==",
    "ps384salt0": "m3l3Mq/l8gZN1MFrFmOPLr+XSb/Tdrdl0WSy1lOfsR8Ip5EydzaYZTHdxXeert+XMBVKUkdo/P70p7HOk9Sd/EkxgFu4vD3LwXN3tXBs2/afb5naDnh6Gbo/uygaIQJbWpb9wjrDkii1xawHAFWEQvo6glA6G6w32yvAJ+3TCcwyMt9J5DAE7Rj4llqshKafh0IbMS7oEmArOTRtFO5dNZrhStO2gUKHkiTiNQX4LUVzfq5zT8m+8AtS3j319ZQY6Y5jR0pzkovUoRUgllzrx5SEXBell3Ky9O9ibPEjl9e5bytNPrdfGxtV6pFdRh7jJhM2A5LIvDTZnj9E6wWHEw=="
  }
};
