-- SPDX-License-Identifier: GPL-2.0
-- pandoc filter that turns the docs/ pages into the installed man pages bulkhead.bh(5) and
-- bulkhead-audit(5): a man page must not send its reader into the source repository, so each
-- repository path becomes what is installed in its place, and a link keeps only its text.
local installed = {
  ["docs/policy-language.md"] = "bulkhead.bh(5)",
  ["docs/audit-format.md"] = "bulkhead-audit(5)",
  ["docs/bulkhead.8"] = "bulkhead(8)",
  ["docs/enforcement.md"] = "/usr/share/doc/bulkhead/enforcement.md",
  ["docs/exchange.md"] = "/usr/share/doc/bulkhead/exchange.md",
  ["docs/netlink.md"] = "/usr/share/doc/bulkhead/netlink.md",
  ["tools/systemd/bulkhead-recorder.service"] = "bulkhead-recorder.service",
  ["tools/systemd/bulkhead-guard@.service"] = "bulkhead-guard@.service",
  ["include/uapi/linux/bulkhead_audit.h"] = "<linux/bulkhead_audit.h>",
  ["include/uapi/linux/bulkhead.h"] = "<linux/bulkhead.h>",
}

local function rewrite(text)
  for from, to in pairs(installed) do
    text = text:gsub(from:gsub("%p", "%%%0"), (to:gsub("%%", "%%%%")))
  end
  -- Whatever else names the repository's test scripts is the project's test suite.
  text = text:gsub("tools/vm/[%w_.-]+", "the project's test suite")
  text = text:gsub("selftests/[%w_.-]+", "the project's test suite")
  text = text:gsub("build/[%w_./-]+", "the test run's logs")
  text = text:gsub("examples/([%w_.-]+)", "/usr/share/doc/bulkhead/examples/%1")
  return text
end

function Str(el) el.text = rewrite(el.text) return el end
function Code(el) el.text = rewrite(el.text) return el end
function Link(el) return el.content end

-- The page's shape: the document's title line (its level-1 heading) becomes NAME ("NAME -
-- title", NAME from the metadata), the text up to the first section DESCRIPTION, the level-2
-- sections the page's sections, and the metadata's see_also a SEE ALSO section.
function Pandoc(doc)
  local blocks, meta = {}, doc.meta
  local name = pandoc.utils.stringify(meta.name)
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.level == 1 then
      table.insert(blocks, pandoc.Header(1, "NAME"))
      -- "\\-": the whatis line's separator, as mandb and lintian read it.
      table.insert(blocks, pandoc.RawBlock("man", name .. " \\- " .. pandoc.utils.stringify(b.content)))
      table.insert(blocks, pandoc.Header(1, "DESCRIPTION"))
    else
      if b.t == "Header" then b.level = b.level - 1 end
      table.insert(blocks, b)
    end
  end
  table.insert(blocks, pandoc.Header(1, "SEE ALSO"))
  table.insert(blocks, pandoc.Para(pandoc.utils.stringify(meta.see_also)))
  return pandoc.Pandoc(blocks, meta)
end
