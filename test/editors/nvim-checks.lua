-- Uses the language server from Neovim the way a user does (open files, K-style hover, <C-x><C-o>,
-- go to definition, rename, format, outline) and writes what the editor then shows as JSON for neovim.test.ts.
local out_path = assert(vim.env.WASMSCOPE_NVIM_OUT, 'WASMSCOPE_NVIM_OUT not set')
local fixtures = assert(vim.env.WASMSCOPE_FIXTURES, 'WASMSCOPE_FIXTURES not set')
local timeout = 15000

local out = { nvim = vim.version(), steps = {} }
local done = false

local function finish(err)
  if done then return end
  done = true
  out.error = err
  vim.fn.writefile({ vim.fn.json_encode(out) }, out_path)
  vim.cmd('qa!')
end

-- Never outlive the test: whatever hangs, report it and quit.
vim.defer_fn(function() finish('nvim-checks.lua: overall deadline passed during ' .. tostring(out.current)) end, 90000)

-- The document version of each URI's latest diagnostics (so "no diagnostics" can be told from "not yet",
-- and fresh ones from those of an earlier edit).
local published = {}
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  publish(err, result, ctx, config)
  -- A publish without a version clears a closed document: it says nothing about the reopened one.
  if result then published[result.uri] = result.version end
end

local function wait(what, predicate)
  if not vim.wait(timeout, predicate, 10) then error('timed out waiting for ' .. what) end
end

-- Typed keys are read only from the main loop, never inside vim.wait: give control back until
-- the predicate holds (resumed by a timer; polls, no fixed sleep).
local co
local function wait_on_main_loop(what, predicate)
  local deadline = vim.loop.now() + timeout
  while not predicate() do
    if vim.loop.now() > deadline then error('timed out waiting for ' .. what) end
    vim.defer_fn(function()
      local ok, err = coroutine.resume(co)
      if not ok then finish(err) end
    end, 10)
    coroutine.yield()
  end
end

local function keys(s)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(s, true, false, true), 'n', false)
end

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(fixtures .. '/' .. name))
  local buf = vim.api.nvim_get_current_buf()
  wait('the server to attach to ' .. name, function()
    for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
      if client.initialized then return true end
    end
    return false
  end)
  return buf
end

local function lines(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

--- Puts the cursor on the `nth` occurrence of `needle` (plain text) plus `delta` bytes; errors if absent.
local function cursor_on(buf, needle, delta, nth)
  local seen = 0
  for i, line in ipairs(lines(buf)) do
    local from = 1
    while true do
      local s = line:find(needle, from, true)
      if not s then break end
      seen = seen + 1
      if seen == (nth or 1) then
        vim.api.nvim_win_set_cursor(0, { i, s - 1 + (delta or 0) })
        return
      end
      from = s + 1
    end
  end
  error('not in the buffer: ' .. needle)
end

local function diagnostics_of(buf)
  local uri = vim.uri_from_bufnr(buf)
  wait('diagnostics of the current version', function()
    local version = published[uri]
    return version ~= nil and version == vim.lsp.util.buf_versions[buf]
  end)
  local result = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ''
    -- lnum/col are 0-based, col in bytes: what the editor underlines, so the text there is what the user sees.
    table.insert(result, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      message = d.message, severity = d.severity, source = d.source,
      text = d.end_lnum == d.lnum and line:sub(d.col + 1, d.end_col) or line:sub(d.col + 1),
    })
  end
  table.sort(result, function(a, b) return a.lnum < b.lnum end)
  return result
end

local function floats()
  local found = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then table.insert(found, win) end
  end
  return found
end

local function hover_at(buf, needle, delta)
  for _, win in ipairs(floats()) do vim.api.nvim_win_close(win, true) end
  cursor_on(buf, needle, delta)
  vim.lsp.buf.hover()
  wait('the hover window', function() return #floats() > 0 end)
  local win = floats()[1]
  local text = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
  vim.api.nvim_win_close(win, true)
  return text
end

local function format(buf)
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ bufnr = buf, timeout_ms = timeout })
  else
    vim.lsp.buf.formatting_sync(nil, timeout) -- 0.7
  end
  return lines(buf)
end

local function step(name, fn)
  out.current = name
  out.steps[name] = fn()
end

co = coroutine.create(function()
  -- Headless nvim prints "-- INSERT --" and "match 1 of 3" to stdout otherwise.
  vim.o.showmode = false
  vim.opt.shortmess:append('c')

  step('client', function()
    local buf = open('program.wat')
    local client = vim.lsp.buf_get_clients(buf)[next(vim.lsp.buf_get_clients(buf))]
    return {
      filetype = vim.bo[buf].filetype,
      name = client.name,
      offset_encoding = client.offset_encoding,
    }
  end)

  step('diagnostics', function() return diagnostics_of(open('broken.wat')) end)
  step('wast_diagnostics', function()
    local buf = open('script.wast')
    return { filetype = vim.bo[buf].filetype, diagnostics = diagnostics_of(buf) }
  end)
  step('settings_diagnostics', function() return diagnostics_of(open('tail-call.wat')) end)
  step('clean_diagnostics', function() return diagnostics_of(open('program.wat')) end)

  local buf = open('program.wat')
  step('hover_instruction', function() return hover_at(buf, 'i32.ge_u', 2) end)
  step('hover_local', function() return hover_at(buf, '(local.get $i))))', 12) end)

  step('completion', function()
    -- A new line in $sum_squares, then <C-x><C-o> after `local.get $`, as typed.
    vim.api.nvim_buf_set_lines(buf, 19, 19, false, { '    local.get $' })
    vim.api.nvim_win_set_cursor(0, { 20, 0 })
    vim.o.completeopt = 'menuone,noinsert,noselect'
    keys('A<C-x><C-o>')
    wait_on_main_loop('the completion menu', function() return vim.fn.pumvisible() == 1 end)
    local words = {}
    for _, item in ipairs(vim.fn.complete_info({ 'items' }).items) do table.insert(words, item.word) end
    -- Accept the first item the way a user does (<C-n> then <C-y>), to see what lands in the buffer.
    keys('<C-n><C-y><Esc>')
    wait_on_main_loop('normal mode', function() return vim.fn.mode() == 'n' end)
    local inserted = vim.api.nvim_buf_get_lines(buf, 19, 20, false)[1]
    vim.api.nvim_buf_set_lines(buf, 19, 20, false, {})
    return { words = words, line = inserted }
  end)

  step('definition', function()
    cursor_on(buf, 'call $square', 6)
    local from = vim.api.nvim_win_get_cursor(0)
    vim.lsp.buf.definition()
    wait('the jump', function() return vim.api.nvim_win_get_cursor(0)[1] ~= from[1] end)
    local to = vim.api.nvim_win_get_cursor(0)
    local line = vim.api.nvim_get_current_line()
    return { from = from, to = to, word = line:sub(to[2] + 1, to[2] + #'$square') }
  end)

  step('document_symbols', function()
    local win = vim.api.nvim_get_current_win()
    vim.fn.setqflist({}, 'r')
    vim.lsp.buf.document_symbol()
    wait('the quickfix list', function() return #vim.fn.getqflist() > 0 end)
    local items = {}
    for _, item in ipairs(vim.fn.getqflist()) do table.insert(items, { lnum = item.lnum, col = item.col, text = item.text }) end
    vim.cmd('cclose')
    vim.api.nvim_set_current_win(win)
    return items
  end)

  step('references', function()
    cursor_on(buf, '(local $total', 8)
    vim.fn.setqflist({}, 'r')
    vim.lsp.buf.references()
    wait('the quickfix list', function() return #vim.fn.getqflist() > 0 end)
    local items = {}
    for _, item in ipairs(vim.fn.getqflist()) do
      local line = vim.api.nvim_buf_get_lines(buf, item.lnum - 1, item.lnum, false)[1]
      table.insert(items, { lnum = item.lnum, word = line:sub(item.col, item.col + #'$total' - 1) })
    end
    vim.cmd('cclose')
    return items
  end)

  step('typing', function()
    -- Typed after `(;é 😀;) ` on line 15, then undone: Neovim sends both as incremental UTF-16 edits.
    local clean = diagnostics_of(buf)
    cursor_on(buf, '(call $square', 0)
    keys('ibogus <Esc>')
    -- Wait for <Esc> too: the diagnostics must be those of the finished text, not of `bog`.
    wait_on_main_loop('the typed text', function()
      return vim.fn.mode() == 'n' and vim.api.nvim_get_current_line():find('bogus (call', 1, true) ~= nil
    end)
    local typed = diagnostics_of(buf)
    keys('u')
    wait_on_main_loop('the undo', function() return vim.fn.mode() == 'n' and vim.api.nvim_get_current_line():find('bogus', 1, true) == nil end)
    return { clean = clean, typed = typed, undone = diagnostics_of(buf), text = table.concat(lines(buf), '\n') }
  end)

  step('signature_help', function()
    for _, win in ipairs(floats()) do vim.api.nvim_win_close(win, true) end
    cursor_on(buf, '(call $square (local.get', 14)
    vim.lsp.buf.signature_help()
    wait('the signature window', function() return #floats() > 0 end)
    local win = floats()[1]
    local text = vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(win), 0, -1, false)
    vim.api.nvim_win_close(win, true)
    return text
  end)

  step('document_highlight', function()
    -- What CursorHold highlighting shows: the ranges Neovim marks in its references namespace.
    local ns = vim.api.nvim_create_namespace('vim_lsp_references')
    cursor_on(buf, 'local.get $count', 10)
    vim.lsp.buf.document_highlight()
    wait('the highlights', function() return #vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, {}) > 0 end)
    local marks = {}
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, 0, -1, { details = true })) do
      local line = vim.api.nvim_buf_get_lines(buf, mark[2], mark[2] + 1, false)[1]
      table.insert(marks, { lnum = mark[2] + 1, text = line:sub(mark[3] + 1, mark[4].end_col) })
    end
    vim.lsp.buf.clear_references()
    return marks
  end)

  step('workspace_symbols', function()
    vim.fn.setqflist({}, 'r')
    vim.lsp.buf.workspace_symbol('sum_squares')
    wait('the quickfix list', function() return #vim.fn.getqflist() > 0 end)
    local items = {}
    for _, item in ipairs(vim.fn.getqflist()) do
      table.insert(items, { file = vim.fn.fnamemodify(vim.fn.bufname(item.bufnr), ':t'), lnum = item.lnum, text = item.text })
    end
    vim.cmd('cclose')
    return items
  end)

  step('rename', function()
    cursor_on(buf, '(local.get $i))))', 12)
    local tick = vim.api.nvim_buf_get_changedtick(buf)
    vim.lsp.buf.rename('$index')
    wait('the rename edits', function() return vim.api.nvim_buf_get_changedtick(buf) ~= tick end)
    return lines(buf)
  end)

  step('formatting', function()
    local messy = open('messy.wat')
    -- Neovim's defaults (noexpandtab, shiftwidth 8) reach the server as FormattingOptions: tabs.
    local tabs = format(messy)
    vim.bo[messy].expandtab = true
    vim.bo[messy].shiftwidth = 2
    vim.bo[messy].tabstop = 2
    local spaces = format(messy)
    return { tabs = tabs, spaces = spaces, again = format(messy) }
  end)

  step('code_action', function()
    local typo = open('typo.wat')
    diagnostics_of(typo)
    cursor_on(typo, '$squre', 1)
    -- The menu a user picks from: record what it offers and pick the near match.
    local offered = {}
    local select = vim.ui.select
    vim.ui.select = function(items, opts, on_choice)
      local chosen
      for _, item in ipairs(items) do
        local title = opts.format_item and opts.format_item(item) or item[2].title
        table.insert(offered, title)
        if not chosen and title:find('$square', 1, true) then chosen = item end
      end
      on_choice(chosen)
    end
    local tick = vim.api.nvim_buf_get_changedtick(typo)
    vim.lsp.buf.code_action()
    wait('the quick fix', function() return vim.api.nvim_buf_get_changedtick(typo) ~= tick end)
    vim.ui.select = select
    return { offered = offered, line = vim.api.nvim_buf_get_lines(typo, 4, 5, false)[1] }
  end)

  -- What the user would have seen go wrong: error messages, and warnings or errors in Neovim's LSP log.
  step('complaints', function()
    local log = {}
    local path = vim.lsp.get_log_path()
    if vim.fn.filereadable(path) == 1 then
      for _, line in ipairs(vim.fn.readfile(path)) do
        if line:match('^%[ERROR%]') or line:match('^%[WARN%]') then table.insert(log, line) end
      end
    end
    local messages = {}
    for _, line in ipairs(vim.split(vim.fn.execute('messages'), '\n')) do
      if line ~= '' then table.insert(messages, line) end
    end
    return { log = log, messages = messages }
  end)

  finish(nil)
end)

local ok, err = coroutine.resume(co)
if not ok then finish(err) end
