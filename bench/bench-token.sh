# Sourced by the bench scripts. The service runs with authentication on, as in production: the run makes its own
# issuer, a random HS256 key the service is configured with (exported for the service process), and one token with
# the write permission, valid 2 h, in BENCH_TOKEN.
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
mint_bench_token() {
  local bench_key bench_key_hex now jwt_head jwt_body jwt_sig
  bench_key=$(head -c 32 /dev/urandom | base64 -w0)
  bench_key_hex=$(printf '%s' "$bench_key" | base64 -d | od -An -tx1 -v | tr -d ' \n')
  now=$(date +%s)
  jwt_head=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  jwt_body=$(printf '{"iss":"industrydata-bench","aud":"industrydata-bench","sub":"bench","scp":"IndustryData-Run.ReadWrite.All","nbf":%d,"exp":%d}' "$((now - 60))" "$((now + 7200))" | b64url)
  jwt_sig=$(printf '%s.%s' "$jwt_head" "$jwt_body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$bench_key_hex" -binary | b64url)
  BENCH_TOKEN="$jwt_head.$jwt_body.$jwt_sig"
  export Authentication__Schemes__Bearer__ValidIssuer=industrydata-bench Authentication__Schemes__Bearer__ValidAudiences__0=industrydata-bench
  export Authentication__Schemes__Bearer__SigningKeys__0__Issuer=industrydata-bench Authentication__Schemes__Bearer__SigningKeys__0__Value="$bench_key"
  # One caller sends every request of the benchmark: lift the per-caller throttle so it measures the service, not the limit.
  export Throttling__PermitsPerWindow=1000000000
}
