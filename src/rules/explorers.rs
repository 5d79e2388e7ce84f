//! Where a transaction can be seen: a block explorer per network, in one table. OxaPay names
//! networks in words ("Ethereum Network", "Tron Network", "Binance Smart Chain") or by token
//! standard ("TRC20"); both are recognised. An unknown network, or a hash that is not plain
//! letters and digits, gets no link (the hash is shown as it is).

/// (words that name the network, the explorer's address of a transaction with `{}` for its hash).
/// Earlier rows win: "Bitcoin Cash" is matched before "Bitcoin".
const EXPLORERS: &[(&[&str], &str)] = &[
    (
        &["bitcoin cash", "bch"],
        "https://blockchair.com/bitcoin-cash/transaction/{}",
    ),
    (&["bitcoin", "btc"], "https://mempool.space/tx/{}"),
    (
        &["binance smart chain", "bsc", "bep20", "bnb"],
        "https://bscscan.com/tx/{}",
    ),
    (&["ethereum", "erc20", "eth"], "https://etherscan.io/tx/{}"),
    (
        &["tron", "trc20", "trx"],
        "https://tronscan.org/#/transaction/{}",
    ),
    (
        &["polygon", "matic", "pol"],
        "https://polygonscan.com/tx/{}",
    ),
    (&["solana", "sol"], "https://solscan.io/tx/{}"),
    (&["ton"], "https://tonviewer.com/transaction/{}"),
    (
        &["litecoin", "ltc"],
        "https://blockchair.com/litecoin/transaction/{}",
    ),
    (
        &["dogecoin", "doge"],
        "https://blockchair.com/dogecoin/transaction/{}",
    ),
    (&["arbitrum"], "https://arbiscan.io/tx/{}"),
    (&["base"], "https://basescan.org/tx/{}"),
    (&["monero", "xmr"], "https://xmrchain.net/tx/{}"),
    (&["ripple", "xrp"], "https://xrpscan.com/tx/{}"),
];

/// The explorer's page of `hash` on `network`, when the network is known and the hash plain.
pub fn tx_url(network: &str, hash: &str) -> Option<String> {
    let plain =
        !hash.is_empty() && hash.len() <= 128 && hash.bytes().all(|b| b.is_ascii_alphanumeric());
    if !plain {
        return None;
    }
    let words: Vec<String> = network
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let joined = words.join(" ");
    EXPLORERS
        .iter()
        .find(|(names, _)| {
            names.iter().any(|name| {
                if name.contains(' ') {
                    joined.contains(name)
                } else {
                    words.iter().any(|w| w == name)
                }
            })
        })
        .map(|(_, url)| url.replace("{}", hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_as_oxapay_names_them() {
        let h = "abc123";
        for (network, host) in [
            ("Bitcoin Network", "mempool.space"),
            ("Bitcoin Cash Network", "blockchair.com/bitcoin-cash"),
            ("Ethereum Network", "etherscan.io"),
            ("ERC20", "etherscan.io"),
            ("Tron Network", "tronscan.org"),
            ("TRC20", "tronscan.org"),
            ("Binance Smart Chain", "bscscan.com"),
            ("BEP20", "bscscan.com"),
            ("Polygon Network", "polygonscan.com"),
            ("Solana Network", "solscan.io"),
            ("TON Network", "tonviewer.com"),
            ("Litecoin Network", "blockchair.com/litecoin"),
            ("Dogecoin Network", "blockchair.com/dogecoin"),
            ("Base", "basescan.org"),
            ("Arbitrum One", "arbiscan.io"),
        ] {
            let url = tx_url(network, h).unwrap_or_else(|| panic!("{network}"));
            assert!(url.contains(host) && url.ends_with(h), "{network}: {url}");
        }
    }

    #[test]
    fn unknown_networks_and_odd_hashes_get_no_link() {
        assert_eq!(tx_url("Zcash Network", "abc"), None);
        assert_eq!(tx_url("", "abc"), None);
        assert_eq!(tx_url("Bitcoin", ""), None);
        assert_eq!(tx_url("Bitcoin", "ab<script>"), None);
        assert_eq!(tx_url("Bitcoin", "a\"b"), None);
        assert_eq!(tx_url("Bitcoin", &"a".repeat(129)), None);
        // "Database" is not Base; "Tonga" is not TON.
        assert_eq!(tx_url("Database", "abc"), None);
        assert_eq!(tx_url("Tonga chain", "abc"), None);
    }
}
