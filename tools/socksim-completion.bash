# SPDX-License-Identifier: MIT
# bash completion for socksim, installed as
# share/bash-completion/completions/socksim.  Commands and options come from
# `socksim help` and `socksim help CMD` themselves, names from `socksim list-*`,
# so this file never lists them and cannot fall out of date.

_socksim()
{
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	local prog=${COMP_WORDS[0]}

	if [[ $COMP_CWORD -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$("$prog" help 2>/dev/null | sed -n 's/^  \([a-z-]*\) .*/\1/p') --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--profile)
		# the names: the lines before the flag table
		COMPREPLY=($(compgen -W "$("$prog" list-profiles 2>/dev/null | sed -n '/^$/q; s/ .*//p')" -- "$cur"))
		return ;;
	--set|--vary)
		local names
		names="$("$prog" list-sysctls 2>/dev/null | sed -n 's/^\(net\.[^ ]*\).*/\1=/p') profile= timers="
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -W "$names" -- "$cur"))
		return ;;
	--trace-format)
		COMPREPLY=($(compgen -W "text jsonl" -- "$cur"))
		return ;;
	--out|--record|--results|--trace)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	esac
	if [[ $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$("$prog" help 2>/dev/null | sed -n 's/^  \([a-z-]*\) .*/\1/p')" -- "$cur"))
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$("$prog" help "$cmd" 2>/dev/null | sed -n 's/^  \(--[a-z-]*\).*/\1/p')" -- "$cur"))
		return
	fi
	COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -F _socksim socksim
