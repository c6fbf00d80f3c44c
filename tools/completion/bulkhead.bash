# SPDX-License-Identifier: GPL-2.0
# bash completion for bulkhead. The candidates come from the CLI itself ("bulkhead --complete
# WORD...", which reads its own usage table and, for domain arguments, the policy in force),
# so this file never lists a command or an option.
_bulkhead()
{
	local cur=${COMP_WORDS[COMP_CWORD]} word words=()

	COMPREPLY=()
	while IFS= read -r word; do
		case $word in
		@file) compopt -o filenames 2>/dev/null
			mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$cur") ;;
		@dir) compopt -o filenames 2>/dev/null
			mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -d -- "$cur") ;;
		*) words+=("$word") ;;
		esac
	done < <("${COMP_WORDS[0]}" --complete "${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)
	mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -W "${words[*]}" -- "$cur")
}
complete -F _bulkhead bulkhead
