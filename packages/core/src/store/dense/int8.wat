;; Int8 dense-search kernel: out[r] = scale[r] * dot(query, matrix[r]) for every row r,
;; the dot product taken over int8 values and summed exactly in int32.
;;
;; Hand-encoded to bytes by packages/core/scripts/build-int8-wasm.ts (no wabt here); the
;; bytes live in int8-wasm.ts. Keep this text and the encoder in step.
;;
;; Memory is exported; the host grows it and places the row-major int8 matrix, the int8
;; query, the per-row float32 scales and the float32 output in it (byte offsets). Codes are
;; in [-127, 127], so each 16-byte step multiplies pairs into int16 (i16x8.extmul, |p| ≤
;; 16129), adds the low and high halves (≤ 32258, still int16), then widens pairs into the
;; int32 lanes (i32x4.extadd_pairwise): 7 instructions per 16 values. The 64-byte loop
;; alternates two accumulators; 384 dimensions are six of its steps.
(module
  (memory (export "memory") 1)
  (func (export "scores")
    (param $q i32) (param $m i32) (param $rows i32) (param $dim i32) (param $scale i32) (param $out i32)
    (local $r i32) (local $p i32) (local $j i32) (local $end64 i32) (local $end16 i32) (local $sum i32)
    (local $a v128) (local $b v128) (local $acc0 v128) (local $acc1 v128)
    (local.set $end64 (i32.and (local.get $dim) (i32.const -64)))
    (local.set $end16 (i32.and (local.get $dim) (i32.const -16)))
    (local.set $p (local.get $m))
    (block $done
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (loop $row
        (local.set $acc0 (i32x4.splat (i32.const 0)))
        (local.set $acc1 (i32x4.splat (i32.const 0)))
        (local.set $j (i32.const 0))
        ;; 64 values a step (offsets 0, 16, 32, 48; accumulators 0, 1, 0, 1)
        (block $b64
          (br_if $b64 (i32.ge_u (local.get $j) (local.get $end64)))
          (loop $l64
            ;; step(acc, o) =
            ;;   (local.set acc (i32x4.add (local.get acc) (i32x4.extadd_pairwise_i16x8_s (i16x8.add
            ;;     (i16x8.extmul_low_i8x16_s
            ;;       (local.tee $a (v128.load offset=o (i32.add (local.get $p) (local.get $j))))
            ;;       (local.tee $b (v128.load offset=o (i32.add (local.get $q) (local.get $j)))))
            ;;     (i16x8.extmul_high_i8x16_s (local.get $a) (local.get $b))))))
            ;; step($acc0, 0) step($acc1, 16) step($acc0, 32) step($acc1, 48)
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br_if $l64 (i32.lt_u (local.get $j) (local.get $end64)))))
        ;; then 16 values a step: step($acc0, 0)
        (block $b16
          (br_if $b16 (i32.ge_u (local.get $j) (local.get $end16)))
          (loop $l16
            ;; step($acc0, 0)
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $l16 (i32.lt_u (local.get $j) (local.get $end16)))))
        ;; horizontal sum
        (local.set $acc0 (i32x4.add (local.get $acc0) (local.get $acc1)))
        (local.set $sum (i32.add
          (i32.add (i32x4.extract_lane 0 (local.get $acc0)) (i32x4.extract_lane 1 (local.get $acc0)))
          (i32.add (i32x4.extract_lane 2 (local.get $acc0)) (i32x4.extract_lane 3 (local.get $acc0)))))
        ;; the last dim % 16 values one by one
        (block $b1
          (br_if $b1 (i32.ge_u (local.get $j) (local.get $dim)))
          (loop $l1
            (local.set $sum (i32.add (local.get $sum) (i32.mul
              (i32.load8_s (i32.add (local.get $p) (local.get $j)))
              (i32.load8_s (i32.add (local.get $q) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $l1 (i32.lt_u (local.get $j) (local.get $dim)))))
        ;; out[r] = sum * scale[r]
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2)))
          (f32.mul (f32.convert_i32_s (local.get $sum))
            (f32.load (i32.add (local.get $scale) (i32.shl (local.get $r) (i32.const 2))))))
        (local.set $p (i32.add (local.get $p) (local.get $dim)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))))
  ;; signs: the sign bits of `bytes` int8 codes (a multiple of 16) at $m, 16 per 2 bytes of
  ;; $out: bit i of the output is 1 when code i is negative (i8x16.bitmask). The binary codes
  ;; of the prefilter (see quantized-topk.ts) are made with it from the int8 codes.
  (func (export "signs") (param $m i32) (param $bytes i32) (param $out i32)
    (local $i i32)
    (block $done
      (br_if $done (i32.ge_u (local.get $i) (local.get $bytes)))
      (loop $l
        (i32.store16 align=1 (i32.add (local.get $out) (i32.shr_u (local.get $i) (i32.const 3)))
          (i8x16.bitmask (v128.load align=1 (i32.add (local.get $m) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $l (i32.lt_u (local.get $i) (local.get $bytes))))))
  ;; hamming: out[r] = popcount(query xor bits[r]) over `words` 64-bit words per row, for
  ;; `rows` rows (i32 results; the Hamming distance between sign patterns).
  (func (export "hamming")
    (param $q i32) (param $bits i32) (param $rows i32) (param $words i32) (param $out i32)
    (local $r i32) (local $w i32) (local $p i32) (local $sum i64)
    (local.set $p (local.get $bits))
    (block $done
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (loop $row
        (local.set $sum (i64.const 0))
        (local.set $w (i32.const 0))
        (block $wd
          (br_if $wd (i32.ge_u (local.get $w) (local.get $words)))
          (loop $word
            (local.set $sum (i64.add (local.get $sum) (i64.popcnt (i64.xor
              (i64.load align=1 (i32.add (local.get $q) (i32.shl (local.get $w) (i32.const 3))))
              (i64.load align=1 (i32.add (local.get $p) (i32.shl (local.get $w) (i32.const 3))))))))
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (br_if $word (i32.lt_u (local.get $w) (local.get $words)))))
        (i32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (i32.wrap_i64 (local.get $sum)))
        (local.set $p (i32.add (local.get $p) (i32.shl (local.get $words) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))))
