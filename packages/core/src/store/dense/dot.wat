;; Dense-search kernel: scores[r] = dot(query, matrix[r]) for every row r.
;;
;; Hand-encoded to bytes by packages/core/scripts/build-wasm.ts (no wabt here); the
;; bytes live in dot-wasm.ts. Keep this text and the encoder in step: the encoder's
;; instruction list follows this file line by line.
;;
;; Memory is exported; the host grows it and places the row-major Float32 matrix, the
;; query and the scores output in it (all byte offsets). Rows need not be 16-byte aligned
;; (dims not divisible by 4): v128.load accepts any address, the alignment is a hint only.
(module
  (memory (export "memory") 1)
  (func (export "scores")
    (param $q i32) (param $m i32) (param $rows i32) (param $dim i32) (param $out i32)
    (local $r i32) (local $p i32) (local $j i32) (local $end16 i32) (local $end4 i32)
    (local $endd i32) (local $rowBytes i32)
    (local $sum f32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    ;; byte bounds of the 16-float blocks, the 4-float blocks and the row
    (local.set $end16 (i32.shl (i32.and (local.get $dim) (i32.const -16)) (i32.const 2)))
    (local.set $end4 (i32.shl (i32.and (local.get $dim) (i32.const -4)) (i32.const 2)))
    (local.set $endd (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $rowBytes (local.get $endd))
    (local.set $p (local.get $m))
    (block $done
      (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
      (loop $row
        (local.set $a0 (f32x4.splat (f32.const 0)))
        (local.set $a1 (f32x4.splat (f32.const 0)))
        (local.set $a2 (f32x4.splat (f32.const 0)))
        (local.set $a3 (f32x4.splat (f32.const 0)))
        (local.set $j (i32.const 0))
        ;; 16 floats a step, four independent accumulators
        (block $b16
          (br_if $b16 (i32.ge_u (local.get $j) (local.get $end16)))
          (loop $l16
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $p) (local.get $j)))
              (v128.load (i32.add (local.get $q) (local.get $j))))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $p) (local.get $j)))
              (v128.load offset=16 (i32.add (local.get $q) (local.get $j))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul
              (v128.load offset=32 (i32.add (local.get $p) (local.get $j)))
              (v128.load offset=32 (i32.add (local.get $q) (local.get $j))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul
              (v128.load offset=48 (i32.add (local.get $p) (local.get $j)))
              (v128.load offset=48 (i32.add (local.get $q) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 64)))
            (br_if $l16 (i32.lt_u (local.get $j) (local.get $end16)))))
        ;; then 4 floats a step
        (block $b4
          (br_if $b4 (i32.ge_u (local.get $j) (local.get $end4)))
          (loop $l4
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul
              (v128.load (i32.add (local.get $p) (local.get $j)))
              (v128.load (i32.add (local.get $q) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br_if $l4 (i32.lt_u (local.get $j) (local.get $end4)))))
        ;; horizontal sum
        (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1))
                                  (f32x4.add (local.get $a2) (local.get $a3))))
        (local.set $sum (f32.add
          (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
          (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        ;; the last dim % 4 floats one by one
        (block $b1
          (br_if $b1 (i32.ge_u (local.get $j) (local.get $endd)))
          (loop $l1
            (local.set $sum (f32.add (local.get $sum) (f32.mul
              (f32.load (i32.add (local.get $p) (local.get $j)))
              (f32.load (i32.add (local.get $q) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br_if $l1 (i32.lt_u (local.get $j) (local.get $endd)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $r) (i32.const 2))) (local.get $sum))
        (local.set $p (i32.add (local.get $p) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $r) (local.get $rows)))))))
