//! Where to poll a 4.x+ operation: on the cluster node that runs it (its
//! `OperationNodeTag`), found in `GET /cluster/topology`; or nowhere, said
//! plainly, when this browser cannot reach that node (a dashboard behind a
//! same-origin proxy reaches only the proxy). Never on another node: there
//! the same id names another operation or none
//! (docs/protocol/ravendb-4x.md#operation-ids). When the topology cannot be
//! read, on the server in use: the tag is that server's own (it answered
//! the start).

use super::identity::{origin_of, same_server};
use crate::api::wire::topology::ClusterTopologyResponse;

/// Where an operation is polled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeRoute {
    /// On the server in use: it is that node, or no node was named.
    Here {
        /// The node's tag, when one was named.
        tag: Option<String>,
    },
    /// On another node of the cluster, at this URL.
    At { tag: String, url: String },
    /// Nowhere from here; why, in words.
    CannotReach { tag: String, reason: String },
}

impl NodeRoute {
    /// "node B (http://…)", or `None` when no node was named.
    pub fn words(&self) -> Option<String> {
        match self {
            NodeRoute::Here { tag: None } => None,
            NodeRoute::Here { tag: Some(tag) } => Some(format!("node {tag} (this server)")),
            NodeRoute::At { tag, url } => Some(format!("node {tag} ({url})")),
            NodeRoute::CannotReach { tag, .. } => Some(format!("node {tag}")),
        }
    }

    /// The server root URL where the operation is read (its state, its
    /// result), given `base`, the server in use; `None` when it cannot be
    /// read from here.
    pub fn polled_at<'a>(&'a self, base: &'a str) -> Option<&'a str> {
        match self {
            NodeRoute::Here { .. } => Some(base),
            NodeRoute::At { url, .. } => Some(url),
            NodeRoute::CannotReach { .. } => None,
        }
    }
}

/// The route to the operation run by node `tag` (`None`: no node named).
/// `base`: the server in use; `page_origin`: this page's own origin (the
/// dashboard is behind a same-origin proxy when `base` has that origin);
/// `topology`: the answer of `GET /cluster/topology` on `base`, or why it
/// could not be read (then the node is the one that answered: see below).
pub fn resolve(
    tag: Option<&str>,
    base: &str,
    page_origin: Option<&str>,
    topology: Result<&ClusterTopologyResponse, String>,
) -> NodeRoute {
    let Some(tag) = tag.map(str::trim).filter(|t| !t.is_empty()) else {
        return NodeRoute::Here { tag: None };
    };
    let tag = tag.to_ascii_uppercase();
    // `tag` is the start answer's `OperationNodeTag`: RavenDB writes its own
    // node tag there and runs the operation locally, so the node that
    // answered the start (the server in use) runs it. A topology this user
    // may not read (or that failed) proves nothing else: the operation is
    // polled here, and how it ends is what this server then answers (an
    // unknown id is "lost", never a success).
    let Ok(topology) = topology else {
        return NodeRoute::Here { tag: Some(tag) };
    };
    if topology.answered_by(&tag) {
        return NodeRoute::Here { tag: Some(tag) };
    }
    let Some(url) = topology.url_of(&tag) else {
        return NodeRoute::CannotReach {
            reason: format!(
                "The server says node {tag} runs this operation, but the cluster's topology does not list node {tag}; it may have been removed from the cluster."
            ),
            tag,
        };
    };
    if same_server(url, base) {
        return NodeRoute::Here { tag: Some(tag) };
    }
    let base_origin = origin_of(base);
    let page_origin = page_origin.and_then(origin_of);
    let behind_proxy = base_origin.is_some() && base_origin == page_origin;
    if behind_proxy && origin_of(url) != page_origin {
        return NodeRoute::CannotReach {
            reason: format!(
                "Node {tag} runs this operation, at {url}. This dashboard reaches RavenDB through its own web server (a same-origin proxy) and cannot reach node {tag} there; polling this server instead would show another operation or none. Expose node {tag} through the proxy (see the README, Deploy), or check the operation in node {tag}'s own Studio."
            ),
            tag,
        };
    }
    NodeRoute::At {
        tag,
        url: url.trim_end_matches('/').to_string(),
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::route_to_node;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{resolve, NodeRoute};
    use crate::api::{client::Client, version::Generation};

    /// Where the operation run by node `node_tag` (the `OperationNodeTag`
    /// the server in use answered to the start) is polled: asks that server
    /// for the cluster's topology (4.x+ only; 3.x has no nodes) and applies
    /// [`resolve`].
    pub async fn route_to_node(
        client: &Client,
        generation: Generation,
        node_tag: Option<&str>,
    ) -> NodeRoute {
        let tag = node_tag.map(str::trim).filter(|t| !t.is_empty());
        if tag.is_none() || !matches!(generation, Generation::V4Plus { .. }) {
            return NodeRoute::Here { tag: None };
        }
        let topology = client
            .cluster_topology()
            .await
            .map_err(|e| e.user_message());
        let page_origin = web_sys::window().and_then(|w| w.location().origin().ok());
        resolve(
            tag,
            client.base(),
            page_origin.as_deref(),
            topology.as_ref().map_err(Clone::clone),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::wire::from_text;

    /// A three-node cluster (A, B, C at 10.0.0.1-3) as answered by `answering`.
    fn three_nodes(answering: &str) -> ClusterTopologyResponse {
        from_text(&format!(
            r#"{{"Topology":{{"AllNodes":{{"A":"http://10.0.0.1:8080","B":"http://10.0.0.2:8080/","C":"https://c.raven.example"}}}},"Leader":"A","NodeTag":"{answering}"}}"#
        ))
        .unwrap()
    }

    #[test]
    fn with_no_node_named_it_is_polled_here() {
        let t = three_nodes("A");
        for tag in [None, Some(""), Some("  ")] {
            assert_eq!(
                resolve(tag, "http://10.0.0.1:8080", None, Ok(&t)),
                NodeRoute::Here { tag: None }
            );
        }
        // Even when the topology cannot be read.
        assert_eq!(
            resolve(None, "http://x", None, Err("500".into())),
            NodeRoute::Here { tag: None }
        );
    }

    #[test]
    fn in_a_three_node_cluster_each_operation_is_polled_on_its_node() {
        let dashboard = Some("http://dashboard.example");
        let on_a = three_nodes("A");
        let base = "http://10.0.0.1:8080";
        // The node that answered runs it.
        let here = resolve(Some("a"), base, dashboard, Ok(&on_a));
        assert_eq!(
            here,
            NodeRoute::Here {
                tag: Some("A".into())
            }
        );
        assert_eq!(here.words().as_deref(), Some("node A (this server)"));
        // Another node: polled at its own URL.
        let b = resolve(Some("B"), base, dashboard, Ok(&on_a));
        assert_eq!(
            b,
            NodeRoute::At {
                tag: "B".into(),
                url: "http://10.0.0.2:8080".into()
            }
        );
        assert_eq!(b.words().as_deref(), Some("node B (http://10.0.0.2:8080)"));
        assert!(matches!(
            resolve(Some("C"), base, dashboard, Ok(&on_a)),
            NodeRoute::At { url, .. } if url == "https://c.raven.example"
        ));
        // Asked through node B's own address, node B is here even if the
        // answering tag were missing.
        let mut unnamed = three_nodes("B");
        unnamed.node_tag = None;
        assert_eq!(
            resolve(Some("B"), "http://10.0.0.2:8080", dashboard, Ok(&unnamed)),
            NodeRoute::Here {
                tag: Some("B".into())
            }
        );
        // A node the topology does not list cannot be polled anywhere.
        let gone = resolve(Some("D"), base, dashboard, Ok(&on_a));
        assert!(
            matches!(&gone, NodeRoute::CannotReach { tag, reason } if tag == "D" && reason.contains("does not list node D")),
            "{gone:?}"
        );
    }

    #[test]
    fn behind_a_same_origin_proxy_another_node_is_said_unreachable() {
        let proxy = "https://ops.example/raven";
        let t = three_nodes("A");
        let page = Some("https://ops.example");
        assert_eq!(
            resolve(Some("A"), proxy, page, Ok(&t)),
            NodeRoute::Here {
                tag: Some("A".into())
            }
        );
        let b = resolve(Some("B"), proxy, page, Ok(&t));
        match &b {
            NodeRoute::CannotReach { tag, reason } => {
                assert_eq!(tag, "B");
                assert!(reason.contains("same-origin proxy"), "{reason}");
                assert!(reason.contains("http://10.0.0.2:8080"), "{reason}");
                assert!(reason.contains("README"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        // A node the proxy exposes on the page's own origin is reachable.
        let exposed: ClusterTopologyResponse = from_text(
            r#"{"Topology":{"AllNodes":{"A":"https://ops.example/raven","B":"https://ops.example:8443"}},"NodeTag":"A"}"#,
        )
        .unwrap();
        assert!(matches!(
            resolve(
                Some("B"),
                proxy,
                Some("https://ops.example:8443"),
                Ok(&exposed)
            ),
            NodeRoute::At { .. }
        ));
    }

    #[test]
    fn an_unreadable_topology_leaves_the_operation_on_the_node_that_answered() {
        // A single-node server that hides its topology (or answers it 500):
        // the tag is the answering server's own, so the operation is polled
        // here, where the server's answers say how it ends.
        for why in ["HTTP 403", "HTTP 500", "the server could not be reached"] {
            for base in ["http://10.0.0.1:8080", "https://ops.example/raven"] {
                let route = resolve(
                    Some("b"),
                    base,
                    Some("https://ops.example"),
                    Err(why.into()),
                );
                assert_eq!(
                    route,
                    NodeRoute::Here {
                        tag: Some("B".into())
                    },
                    "{why} {base}"
                );
                assert_eq!(route.polled_at(base), Some(base));
            }
        }
    }

    #[test]
    fn where_each_route_is_polled() {
        let base = "http://10.0.0.1:8080";
        assert_eq!(NodeRoute::Here { tag: None }.polled_at(base), Some(base));
        let b = NodeRoute::At {
            tag: "B".into(),
            url: "http://10.0.0.2:8080".into(),
        };
        assert_eq!(b.polled_at(base), Some("http://10.0.0.2:8080"));
        let nowhere = NodeRoute::CannotReach {
            tag: "D".into(),
            reason: "gone".into(),
        };
        assert_eq!(nowhere.polled_at(base), None);
    }

    #[test]
    fn a_genuine_single_node_7_1_runs_its_operations_here() {
        // Recorded from RavenDB 7.1.5 after its first database (the start
        // answers said {"OperationId":1,"OperationNodeTag":"A"}).
        let recorded: ClusterTopologyResponse = from_text(
            r#"{"@metadata":{"DateTime":"2026-11-30T00:30:21.1352744Z","WebUrl":"http://127.0.0.1:40925","NodeTag":"A"},"Topology":{"TopologyId":"13bf1ab2-bb57-488e-a60b-b4ca9d65990d","AllNodes":{"A":"http://127.0.0.1:40925"},"Members":{"A":"http://127.0.0.1:40925"},"Promotables":{},"Watchers":{},"LastNodeId":"A","Etag":1},"Etag":1,"Leader":"A","LeaderShipDuration":14288,"CurrentState":"Leader","NodeTag":"A","ServerRole":"Member","CurrentTerm":1,"NodeLicenseDetails":null,"Status":{}}"#,
        )
        .unwrap();
        // Directly, and through a same-origin proxy.
        assert_eq!(
            resolve(Some("A"), "http://127.0.0.1:40925", None, Ok(&recorded)),
            NodeRoute::Here {
                tag: Some("A".into())
            }
        );
        assert_eq!(
            resolve(
                Some("A"),
                "http://127.0.0.1:8088",
                Some("http://127.0.0.1:8088"),
                Ok(&recorded)
            ),
            NodeRoute::Here {
                tag: Some("A".into())
            }
        );
    }
}
