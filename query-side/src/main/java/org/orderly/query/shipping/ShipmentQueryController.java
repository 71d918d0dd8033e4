package org.orderly.query.shipping;

import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.orderly.config.web.ProblemJson;
import org.orderly.config.web.ReadsFrom;
import org.orderly.config.web.Problems;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Shipment queries over HTTP, answered from the shipping domain's read model. */
@RestController
@Tag(name = "Shipments")
@ReadsFrom(ShipmentProjection.PROCESSING_GROUP)
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

    record ShipmentListResponse(List<ShipmentResponse> items,
            @Schema(types = {"string", "null"}, description = "The next page's cursor; null on the last page")
            String nextCursor) {
    }

    @Operation(operationId = "getShipment", summary = "Read a shipment",
            description = """
                    A confirmed order's parcel: its items and status (CREATED, DISPATCHED, DELIVERED). \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet. Another customer's shipment answers 404, as one that does not exist.""")
    @ApiResponse(responseCode = "200", description = "The shipment",
            headers = @Header(name = "ETag", description = "Its version, for If-Match on the commands that change it",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", description = "No such shipment, or another customer's",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemJson.class), examples = @ExampleObject(value = """
                        {"type": "about:blank", "title": "Not Found", "status": 404,
                         "detail": "Shipment 7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63 does not exist",
                         "instance": "/api/shipments/7d2e9b14-3f6a-4c81-a5d7-0b9e2c4f8a63"}""")))
    @GetMapping("/{shipmentId}")
    ResponseEntity<ShipmentResponse> get(@PathVariable UUID shipmentId) {
        ShipmentView view = queries.query(new FindShipmentQuery(new ShipmentId(shipmentId)),
                ResponseTypes.instanceOf(ShipmentView.class)).join();
        if (view == null) {
            throw Problems.notFound("Shipment " + shipmentId);
        }
        return ETags.ok(view.version()).body(ShipmentResponse.of(view));
    }

    @Operation(operationId = "listShipments", summary = "List shipments",
            description = """
                    By cursor, narrowed to an order. A customer sees only their own. \
                    Answered from the read model, which follows the commands asynchronously: a change made a \
                    moment ago may not show yet.""")
    @ApiResponse(responseCode = "200",
            description = "A page: items, and nextCursor for the next one (null on the last)")
    @GetMapping
    ShipmentListResponse list(@Parameter(description = "Only this order's shipments")
                              @RequestParam(required = false) UUID orderId,
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
