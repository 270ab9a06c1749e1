;;; emacs-checks.el --- uses the language server from Emacs + eglot as a user does  -*- lexical-binding: t -*-
;; Opens fixtures, then flymake, eldoc hover, completion-at-point, xref, rename, formatting, imenu and a
;; quick fix; writes what Emacs then shows as JSON for emacs.test.ts.  Run with `emacs --batch -q -l`.

(require 'cl-lib)
(require 'json)
(require 'eglot)
(require 'imenu)
(require 'xref)

(defvar wasmscope-checks-out (getenv "WASMSCOPE_EMACS_OUT"))
(defvar wasmscope-checks-fixtures (getenv "WASMSCOPE_FIXTURES"))
(defvar wasmscope-checks-timeout 15)
(defvar wasmscope-checks-steps nil "Alist of (step . observation), newest first.")
(defvar wasmscope-checks-current nil)

;; The document version of each URI's latest diagnostics, so "none" can be told from "not yet".
(defvar wasmscope-checks-published (make-hash-table :test #'equal))
(cl-defmethod eglot-handle-notification :after
  (_server (_method (eql textDocument/publishDiagnostics)) &key uri version &allow-other-keys)
  ;; One without a version clears a closed document: it says nothing about a reopened one.
  (puthash uri version wasmscope-checks-published))

(defun wasmscope-checks-wait (what predicate)
  "Wait for PREDICATE, serving the server's messages meanwhile; signal an error naming WHAT on timeout."
  (let ((deadline (+ (float-time) wasmscope-checks-timeout)))
    (while (not (funcall predicate))
      (when (> (float-time) deadline) (error "timed out waiting for %s" what))
      (accept-process-output nil 0.01))))

(defun wasmscope-checks-open (name)
  "Visit fixture NAME as `C-x C-f' does, including the command loop's post-command-hook (eglot-ensure)."
  (find-file (expand-file-name name wasmscope-checks-fixtures))
  (run-hooks 'post-command-hook)
  (wasmscope-checks-wait (format "eglot to manage %s" name) #'eglot-managed-p)
  (current-buffer))

(defun wasmscope-checks-goto (needle &optional delta nth)
  "Put point on the NTH (1-based) occurrence of NEEDLE, plus DELTA characters."
  (goto-char (point-min))
  (dotimes (_ (or nth 1)) (search-forward needle))
  (goto-char (+ (match-beginning 0) (or delta 0))))

(defun wasmscope-checks-diagnostics ()
  "The current buffer's flymake diagnostics once the server has published for its current version."
  (let ((uri (eglot--path-to-uri (buffer-file-name))))
    (wasmscope-checks-wait "diagnostics of the current version"
                           (lambda () (eql (gethash uri wasmscope-checks-published) eglot--versioned-identifier)))
  ;; eglot hands them to flymake when it next runs, which the command loop would do after the next key.
  (flymake-start)
  (wasmscope-checks-wait "flymake's report" (lambda () (memq 'eglot-flymake-backend (flymake-reporting-backends)))))
  (vconcat
   (mapcar (lambda (d)
             `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
               ;; The text flymake highlights: what the user sees underlined.
               (text . ,(buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
               (message . ,(flymake-diagnostic-text d))))
           (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))))

(defun wasmscope-checks-hover ()
  "What eldoc would show for point (eglot's hover function, called the way eldoc calls it)."
  (let (shown)
    (eglot-hover-eldoc-function (lambda (info &rest _) (setq shown (or info ""))))
    (wasmscope-checks-wait "hover" (lambda () shown))
    (substring-no-properties shown)))

(defun wasmscope-checks-step (name fn)
  (setq wasmscope-checks-current name)
  (push (cons name (funcall fn)) wasmscope-checks-steps))

(defun wasmscope-checks-finish (err)
  (with-temp-file wasmscope-checks-out
    (insert (json-encode `((emacs . ,emacs-version)
                           ;; With markdown-mode installed eglot asks for markdown hovers instead of plain text.
                           (markdown_mode . ,(if (fboundp 'gfm-view-mode) t :json-false))
                           (error . ,err)
                           (current . ,wasmscope-checks-current)
                           (steps . ,(or (reverse wasmscope-checks-steps) (make-hash-table))))))))

(defun wasmscope-checks-run ()
  (wasmscope-checks-step
   'diagnostics (lambda () (with-current-buffer (wasmscope-checks-open "broken.wat") (wasmscope-checks-diagnostics))))
  (wasmscope-checks-step
   'wast_diagnostics (lambda () (with-current-buffer (wasmscope-checks-open "script.wast")
                                  `((mode . ,(symbol-name major-mode)) (diagnostics . ,(wasmscope-checks-diagnostics))))))
  (wasmscope-checks-step
   'settings_diagnostics (lambda () (with-current-buffer (wasmscope-checks-open "tail-call.wat") (wasmscope-checks-diagnostics))))
  (with-current-buffer (wasmscope-checks-open "program.wat")
    (wasmscope-checks-step 'clean_diagnostics #'wasmscope-checks-diagnostics)
    (wasmscope-checks-step
     'hover_instruction (lambda () (wasmscope-checks-goto "i32.ge_u" 2) (wasmscope-checks-hover)))
    (wasmscope-checks-step
     'hover_local (lambda () (wasmscope-checks-goto "(local.get $i))))" 12) (wasmscope-checks-hover)))
    (wasmscope-checks-step
     'completion
     (lambda ()
       ;; Type a new line in $sum_squares, ask completion-at-point for its table (as company/corfu do), then undo.
       (wasmscope-checks-goto "    local.get $total)")
       (insert "    local.get $\n")
       (backward-char)
       (let* ((capf (eglot-completion-at-point))
              (words (all-completions "" (nth 2 capf))))
         (delete-region (line-beginning-position) (1+ (line-end-position)))
         (vconcat (mapcar #'substring-no-properties words)))))
    (wasmscope-checks-step
     'definition
     (lambda ()
       (wasmscope-checks-goto "call $square" 6)
       (xref-find-definitions (xref-backend-identifier-at-point (xref-find-backend)))
       `((line . ,(line-number-at-pos))
         (text . ,(buffer-substring-no-properties (point) (+ (point) (length "$square")))))))
    (wasmscope-checks-step
     'imenu (lambda ()
              ;; eglot groups the outline by kind, and nests a symbol's children under it:
              ;; ("Function" ("$square" ("$n" . pos)) ("$sum_squares" . pos)) ...
              (cl-labels ((names (items)
                            (vconcat (mapcar (lambda (item)
                                               (if (consp (cdr item))
                                                   `((name . ,(car item)) (children . ,(names (cdr item))))
                                                 `((name . ,(car item)) (line . ,(line-number-at-pos (cdr item))))))
                                             items))))
                (mapcar (lambda (group) (cons (car group) (names (cdr group))))
                        (funcall imenu-create-index-function)))))
    (wasmscope-checks-step
     'rename
     (lambda ()
       (wasmscope-checks-goto "(local.get $i))))" 12)
       (eglot-rename "$index")
       (buffer-substring-no-properties (point-min) (point-max)))))
  (wasmscope-checks-step
   'formatting
   (lambda ()
     (with-current-buffer (wasmscope-checks-open "messy.wat")
       (eglot-format-buffer)
       (let ((first (buffer-substring-no-properties (point-min) (point-max))))
         (eglot-format-buffer)
         `((first . ,first) (again . ,(buffer-substring-no-properties (point-min) (point-max))))))))
  (wasmscope-checks-step
   'code_action
   (lambda ()
     (with-current-buffer (wasmscope-checks-open "typo.wat")
       (wasmscope-checks-diagnostics)
       (wasmscope-checks-goto "$squre" 1)
       ;; The menu a user picks from: record what it offers and pick the near match.
       (let* ((offered nil)
              (last-nonmenu-event ?\r) ; a key, not a mouse click: eglot asks with completing-read
              (completing-read-function
               (lambda (_prompt collection &rest _)
                 (setq offered (mapcar #'car collection))
                 (cl-find-if (lambda (title) (string-match-p "\\$square" title)) offered))))
         (eglot-code-actions (point) (point) nil t)
         `((offered . ,(vconcat offered))
           (line . ,(progn (goto-char (point-min)) (forward-line 4)
                           (buffer-substring-no-properties (line-beginning-position) (line-end-position))))))))))

(defun wasmscope-checks-complaints ()
  "What the user would have seen go wrong: error/warning lines in *Messages*, error replies and server errors in eglot's events buffer."
  (let* ((server (car (apply #'append (hash-table-values eglot--servers-by-project))))
         (messages (with-current-buffer "*Messages*"
                     (cl-remove-if-not (lambda (line) (string-match-p "error\\|warning" line))
                                       (split-string (buffer-string) "\n" t))))
         (events (with-current-buffer (jsonrpc-events-buffer server)
                   (cl-remove-if-not (lambda (line) (string-match-p ":error\\|:type 1\\b" line))
                                     (split-string (buffer-string) "\n" t))))
         (stderr (cl-loop for buffer in (buffer-list)
                          when (string-match-p "^\\*EGLOT.*stderr\\*$" (buffer-name buffer))
                          append (with-current-buffer buffer (split-string (buffer-string) "\n" t)))))
    `((messages . ,(vconcat messages)) (events . ,(vconcat events)) (stderr . ,(vconcat stderr))
      ;; So an empty `events' means "no errors", not "nothing logged".
      (event_lines . ,(with-current-buffer (jsonrpc-events-buffer server) (count-lines (point-min) (point-max)))))))

(condition-case err
    (progn (wasmscope-checks-run)
           (wasmscope-checks-step 'complaints #'wasmscope-checks-complaints)
           (wasmscope-checks-finish nil))
  (error (wasmscope-checks-finish (error-message-string err))))
(kill-emacs 0)
