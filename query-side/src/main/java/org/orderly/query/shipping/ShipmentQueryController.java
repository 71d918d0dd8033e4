package org.orderly.query.shipping;

import java.util.List;
import java.util.UUID;

import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.orderly.api.order.OrderId;
import org.orderly.api.shipping.FindShipmentQuery;
import org.orderly.api.shipping.FindShipmentsQuery;
import org.orderly.api.shipping.ShipmentId;
import org.orderly.api.shipping.ShipmentItem;
import org.orderly.api.shipping.ShipmentPage;
import org.orderly.api.shipping.ShipmentView;
import org.orderly.config.web.ETags;
import org.orderly.config.web.Pagination;
import org.orderly.config.web.Problems;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Shipment queries over HTTP, answered from the shipping domain's read model. */
@RestController
@RequestMapping("/api/shipments")
class ShipmentQueryController {

    private final QueryGateway queries;

    ShipmentQueryController(QueryGateway queries) {
        this.queries = queries;
    }

    record ItemResponse(String productId, int quantity, int weightGrams) {
        static ItemResponse of(ShipmentItem item) {
            return new ItemResponse(item.productId().toString(), item.quantity(), item.weightGrams());
        }
    }

    record ShipmentResponse(String shipmentId, String orderId, String status, List<ItemResponse> items) {
        static ShipmentResponse of(ShipmentView view) {
            return new ShipmentResponse(view.shipmentId().toString(), view.orderId().toString(), view.status().name(),
                    view.items().stream().map(ItemResponse::of).toList());
        }
    }

    record ShipmentListResponse(List<ShipmentResponse> items, String nextCursor) {
    }

    @GetMapping("/{shipmentId}")
    ResponseEntity<ShipmentResponse> get(@PathVariable UUID shipmentId) {
        ShipmentView view = queries.query(new FindShipmentQuery(new ShipmentId(shipmentId)),
                ResponseTypes.instanceOf(ShipmentView.class)).join();
        if (view == null) {
            throw Problems.notFound("Shipment " + shipmentId);
        }
        return ETags.ok(view.version()).body(ShipmentResponse.of(view));
    }

    @GetMapping
    ShipmentListResponse list(@RequestParam(required = false) UUID orderId,
                              @RequestParam(required = false) Integer limit,
                              @RequestParam(required = false) String cursor) {
        ShipmentId after = Pagination.decode(cursor, ShipmentId::of);
        ShipmentPage page = queries.query(new FindShipmentsQuery(orderId == null ? null : new OrderId(orderId),
                        Pagination.limit(limit), after),
                ResponseTypes.instanceOf(ShipmentPage.class)).join();
        return new ShipmentListResponse(page.items().stream().map(ShipmentResponse::of).toList(),
                Pagination.encode(page.next()));
    }
}
