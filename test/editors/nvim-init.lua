-- A Neovim 0.7 user's config for the Wasmscope language server: the block between the markers is
-- server/README.md's (neovim.test.ts keeps them equal) and the config test/editors/neovim.test.ts runs.

-- The test points this at the repository's bundle; the README names the path in `cmd` instead.
local server = vim.env.WASMSCOPE_SERVER or '/path/to/wasmscope/dist/server.js'

-- README begin
vim.cmd([[
  autocmd BufRead,BufNewFile *.wat set filetype=wat
  autocmd BufRead,BufNewFile *.wast set filetype=wast
]])

local wasmscope = {
  name = 'wasmscope',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.getcwd(),
  settings = { wasmscope = { features = { tailCall = true } } }, -- optional
  -- 0.7 neither advertises workspace/configuration nor sends `settings` by itself (0.8 does both):
  -- without this the server never sees them.
  on_init = function(client)
    client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
  end,
}

local client_id
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'wat', 'wast' },
  callback = function(args)
    if not (client_id and vim.lsp.get_client_by_id(client_id)) then
      client_id = vim.lsp.start_client(wasmscope)
    end
    vim.lsp.buf_attach_client(args.buf, client_id)
    vim.bo[args.buf].omnifunc = 'v:lua.vim.lsp.omnifunc' -- <C-x><C-o>
  end,
})
-- README end
