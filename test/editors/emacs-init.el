;;; emacs-init.el --- an Emacs user's config for the Wasmscope language server (eglot)  -*- lexical-binding: t -*-
;; The block between the markers is server/README.md's (emacs.test.ts keeps them equal); emacs-checks.el uses it.

;; The test points this at the repository's bundle; the README names the path in the list instead.
(defvar wasmscope-server (or (getenv "WASMSCOPE_SERVER") "/path/to/wasmscope/dist/server.js"))

;; README begin
(define-derived-mode wat-mode prog-mode "WAT"
  "WebAssembly text."
  (setq-local comment-start ";; ")
  ;; eglot's formatting options: spaces, and tab-width as the indent width.
  (setq-local indent-tabs-mode nil)
  (setq-local tab-width 2))
(define-derived-mode wast-mode wat-mode "WAST" "WebAssembly script.")
(add-to-list 'auto-mode-alist '("\\.wat\\'" . wat-mode))
(add-to-list 'auto-mode-alist '("\\.wast\\'" . wast-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `((wat-mode wast-mode) "node" ,wasmscope-server "--stdio")))
(add-hook 'wat-mode-hook #'eglot-ensure)   ; wast-mode runs it too (derived)
;; Optional settings (eglot answers workspace/configuration from these):
(setq-default eglot-workspace-configuration '(:wasmscope (:features (:tailCall t))))
;; README end
