;; Float32 GEMM with WebAssembly SIMD (f32x4), the kernel behind kernels/gemm-wasm.ts.
;;
;; The caller copies A and B into this memory as they are (any strides), then `pack` copies each
;; into panels the micro-kernel reads with unit stride, and `gemm` computes C = A · B for a range of
;; rows of C. Loops follow BLIS like the TypeScript gemm (kernels/gemm.ts): k-blocks of KC = 256,
;; row blocks of MC = 128 (an A block of 128 KiB stays in L2), a 4 × 8 register tile (8 f32x4
;; accumulators + 2 B vectors + 1 broadcast A value = 11 of the 16 SIMD registers).
;;
;; Packed layout (floats, in order): for each k-block, for each sliver of `width` rows, for each p
;; in the block, `width` values. Rows past the end are zero, so the micro-kernel has no edges.
;; A is packed with width 4 (rows of A), B with width 8 (columns of B).
;;
;; The memory is imported so that worker threads can share it (kernels/gemm-threads.ts);
;; scripts/build-wasm.ts also builds a variant without `shared` for hosts without threads.
(module
  (import "env" "memory" (memory 1 16384 shared))

  ;; Packs `rows` × k values of a strided matrix: element (row, p) is at
  ;; src + 4 · (row · rowStride + p · kStride). `width` is 4 for A and 8 for B.
  (func (export "pack")
    (param $src i32) (param $rowStride i32) (param $kStride i32)
    (param $rows i32) (param $k i32) (param $width i32) (param $dst i32)
    (local $pc i32) (local $kc i32) (local $row0 i32) (local $p i32) (local $r i32)
    (local $rowBytes i32) (local $kBytes i32) (local $srcP i32) (local $full i32)
    (local.set $rowBytes (i32.shl (local.get $rowStride) (i32.const 2)))
    (local.set $kBytes (i32.shl (local.get $kStride) (i32.const 2)))
    (local.set $pc (i32.const 0))
    (block $pcDone (loop $pcLoop
      (br_if $pcDone (i32.ge_s (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
      (local.set $row0 (i32.const 0))
      (block $sDone (loop $sLoop
        (br_if $sDone (i32.ge_s (local.get $row0) (local.get $rows)))
        ;; A sliver entirely inside the matrix needs no bound check per value.
        (local.set $full (i32.le_s (i32.add (local.get $row0) (local.get $width)) (local.get $rows)))
        (local.set $p (i32.const 0))
        (block $pDone (loop $pLoop
          (br_if $pDone (i32.ge_s (local.get $p) (local.get $kc)))
          (local.set $srcP (i32.add (local.get $src)
            (i32.add (i32.mul (i32.add (local.get $pc) (local.get $p)) (local.get $kBytes))
                     (i32.mul (local.get $row0) (local.get $rowBytes)))))
          (local.set $r (i32.const 0))
          (block $rDone (loop $rLoop
            (br_if $rDone (i32.ge_s (local.get $r) (local.get $width)))
            (f32.store (local.get $dst)
              (if (result f32) (i32.or (local.get $full)
                                      (i32.lt_s (i32.add (local.get $row0) (local.get $r)) (local.get $rows)))
                (then (f32.load (local.get $srcP)))
                (else (f32.const 0))))
            (local.set $srcP (i32.add (local.get $srcP) (local.get $rowBytes)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rLoop)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $pLoop)))
        (local.set $row0 (i32.add (local.get $row0) (local.get $width)))
        (br $sLoop)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
      (br $pcLoop)))
  )

  ;; C[rowBegin..rowEnd) × [0..nPad) = A · B from the packed panels at $a (mPad rows) and $b (nPad
  ;; columns); C is row-major with nPad columns at $c. rowBegin and rowEnd are multiples of 4.
  (func (export "gemm")
    (param $rowBegin i32) (param $rowEnd i32) (param $mPad i32) (param $nPad i32) (param $k i32)
    (param $a i32) (param $b i32) (param $c i32)
    (local $pc i32) (local $kc i32) (local $aBlock i32) (local $bBlock i32)
    (local $ic i32) (local $icEnd i32) (local $jr i32) (local $ir i32) (local $ldc i32)
    (local.set $ldc (i32.shl (local.get $nPad) (i32.const 2)))
    (local.set $pc (i32.const 0))
    (block $pcDone (loop $pcLoop
      (br_if $pcDone (i32.ge_s (local.get $pc) (local.get $k)))
      (local.set $kc (i32.sub (local.get $k) (local.get $pc)))
      (if (i32.gt_s (local.get $kc) (i32.const 256)) (then (local.set $kc (i32.const 256))))
      (local.set $aBlock (i32.add (local.get $a) (i32.shl (i32.mul (local.get $pc) (local.get $mPad)) (i32.const 2))))
      (local.set $bBlock (i32.add (local.get $b) (i32.shl (i32.mul (local.get $pc) (local.get $nPad)) (i32.const 2))))
      (local.set $ic (local.get $rowBegin))
      (block $icDone (loop $icLoop
        (br_if $icDone (i32.ge_s (local.get $ic) (local.get $rowEnd)))
        (local.set $icEnd (i32.add (local.get $ic) (i32.const 128)))
        (if (i32.gt_s (local.get $icEnd) (local.get $rowEnd)) (then (local.set $icEnd (local.get $rowEnd))))
        (local.set $jr (i32.const 0))
        (block $jrDone (loop $jrLoop
          (br_if $jrDone (i32.ge_s (local.get $jr) (local.get $nPad)))
          (local.set $ir (local.get $ic))
          (block $irDone (loop $irLoop
            (br_if $irDone (i32.ge_s (local.get $ir) (local.get $icEnd)))
            (call $micro
              (local.get $kc)
              (i32.add (local.get $aBlock) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2)))
              (i32.add (local.get $bBlock) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2)))
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $ir) (local.get $nPad)) (local.get $jr)) (i32.const 2)))
              (local.get $ldc)
              (i32.eqz (local.get $pc)))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $irLoop)))
          (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
          (br $jrLoop)))
        (local.set $ic (local.get $icEnd))
        (br $icLoop)))
      (local.set $pc (i32.add (local.get $pc) (i32.const 256)))
      (br $pcLoop)))
  )

  ;; One 4 × 8 tile of C (row pitch $ldc bytes at $cp) from a 4-row A sliver at $ap and an 8-column
  ;; B sliver at $bp, both kc deep. The first k-block stores the tile, later ones add to it.
  (func $micro
    (param $kc i32) (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32) (param $first i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128) (local $end i32)
    (local.set $end (i32.add (local.get $ap) (i32.shl (local.get $kc) (i32.const 4))))
    (loop $pLoop
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $av (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=4 (local.get $ap)))
      (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=8 (local.get $ap)))
      (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $av (v128.load32_splat offset=12 (local.get $ap)))
      (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
      (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $pLoop (i32.lt_u (local.get $ap) (local.get $end))))
    (if (i32.eqz (local.get $first))
      (then
        (local.set $c00 (f32x4.add (local.get $c00) (v128.load (local.get $cp))))
        (local.set $c01 (f32x4.add (local.get $c01) (v128.load offset=16 (local.get $cp))))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (local.set $c10 (f32x4.add (local.get $c10) (v128.load (local.get $cp))))
        (local.set $c11 (f32x4.add (local.get $c11) (v128.load offset=16 (local.get $cp))))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (local.set $c20 (f32x4.add (local.get $c20) (v128.load (local.get $cp))))
        (local.set $c21 (f32x4.add (local.get $c21) (v128.load offset=16 (local.get $cp))))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (local.set $c30 (f32x4.add (local.get $c30) (v128.load (local.get $cp))))
        (local.set $c31 (f32x4.add (local.get $c31) (v128.load offset=16 (local.get $cp))))
        (local.set $cp (i32.sub (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3))))))
    (v128.store (local.get $cp) (local.get $c00))
    (v128.store offset=16 (local.get $cp) (local.get $c01))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store (local.get $cp) (local.get $c10))
    (v128.store offset=16 (local.get $cp) (local.get $c11))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store (local.get $cp) (local.get $c20))
    (v128.store offset=16 (local.get $cp) (local.get $c21))
    (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
    (v128.store (local.get $cp) (local.get $c30))
    (v128.store offset=16 (local.get $cp) (local.get $c31))
  )
)
