/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Userspace stand-in for <linux/minmax.h>. */
#ifndef _SHIM_LINUX_MINMAX_H
#define _SHIM_LINUX_MINMAX_H

#define min(a, b) ({				\
	__typeof__(a) _min_a = (a);		\
	__typeof__(b) _min_b = (b);		\
	_min_a < _min_b ? _min_a : _min_b; })
#define max(a, b) ({				\
	__typeof__(a) _max_a = (a);		\
	__typeof__(b) _max_b = (b);		\
	_max_a > _max_b ? _max_a : _max_b; })
#define min_t(type, a, b) ({			\
	type _mint_a = (a), _mint_b = (b);	\
	_mint_a < _mint_b ? _mint_a : _mint_b; })
#define max_t(type, a, b) ({			\
	type _maxt_a = (a), _maxt_b = (b);	\
	_maxt_a > _maxt_b ? _maxt_a : _maxt_b; })

#endif
