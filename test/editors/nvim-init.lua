-- A Neovim user's config for the Wasmscope language server, as server/README.md gives it (0.7's
-- vim.lsp.start_client + buf_attach_client, or vim.lsp.start from 0.8); test/editors/neovim.test.ts runs it.

-- Neovim's runtime calls both .wat and .wast files `wast`; give modules their own filetype.
vim.cmd([[
  autocmd BufRead,BufNewFile *.wat set filetype=wat
  autocmd BufRead,BufNewFile *.wast set filetype=wast
]])

-- The test points this at the repository's bundle; a user writes the path to their dist/server.js.
local server = vim.env.WASMSCOPE_SERVER or vim.fn.expand('~/wasmscope/dist/server.js')

local config = {
  name = 'wasmscope',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
  -- Optional: the `wasmscope` settings section (feature flags), answered to workspace/configuration.
  settings = { wasmscope = { features = { tailCall = true } } },
  -- 0.7 neither advertises workspace/configuration nor pushes `settings` on its own (0.8 does both),
  -- so the server would never see them: push them once, as nvim-lspconfig does.
  on_init = function(client)
    if not vim.lsp.start then
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end
  end,
}

local client_id = nil
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'wat', 'wast' },
  callback = function(args)
    if vim.lsp.start then
      -- 0.8+: starts the server once per root_dir and attaches this buffer.
      vim.lsp.start(config)
      return
    end
    -- 0.7: one client for every .wat/.wast buffer.
    if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
      client_id = vim.lsp.start_client(config)
    end
    if client_id then
      vim.lsp.buf_attach_client(args.buf, client_id)
    end
  end,
})

-- <C-x><C-o> completes from the server.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'wat', 'wast' },
  callback = function(args)
    vim.bo[args.buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
  end,
})
